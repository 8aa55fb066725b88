package progress

import "sync"

type tracker struct {
	mu   sync.Mutex
	done int
}

// The closures write `latest`, a variable of the enclosing function shared by
// every goroutine: the exclusive lock is what keeps those writes apart.
func (t *tracker) watch(n int) int {
	var latest int
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.mu.Lock()
			latest = t.done
			t.mu.Unlock()
		}()
	}
	wg.Wait()
	return latest
}

func (t *tracker) finish() {
	t.mu.Lock()
	t.done++
	t.mu.Unlock()
}
