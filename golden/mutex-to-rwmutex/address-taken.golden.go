package pool

import "sync"

type pool struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func newPool() *pool {
	p := &pool{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *pool) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.items)
}

func (p *pool) put(v int) {
	p.mu.Lock()
	p.items = append(p.items, v)
	p.mu.Unlock()
	p.cond.Signal()
}
