package pool

import "sync"

type intType interface{ ~int | ~int64 }

// Pool runs jobs.
type Pool struct {
	jobs []func()
}

// Spread is a generic method (Go 1.27), which the parser does not know yet:
// its declaration is left as it is, the Add/Done pair inside it included.
func (p *Pool) Spread[Int intType](n Int) Int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var total Int
	for i := Int(0); i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			total += i
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total
}

// Run runs every job; it is another declaration, so it is changed.
func (p *Pool) Run() {
	var wg sync.WaitGroup
	for _, job := range p.jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job()
		}()
	}
	wg.Wait()
}
