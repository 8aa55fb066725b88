package pool

import "sync"

type Pool struct {
	wg sync.WaitGroup
}

func (p *Pool) run(f func()) {
	go func() {
		p.wg.Add(1)
		f()
		p.wg.Done()
	}()
	p.wg.Wait()
}
