package agent

import "sync"

type Agent struct {
	mu    sync.Mutex
	state map[string]int
}

// A Kubernetes-style deadlock: Wait under the lock the workers need.
func (a *Agent) Sync(keys []string) {
	var wg sync.WaitGroup
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.mu.Lock()
			a.state[k]++
			a.mu.Unlock()
		}()
	}
	wg.Wait()
}
