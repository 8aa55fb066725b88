package gate

import "sync"

type gate struct {
	mu   sync.Mutex
	open bool
}

func newGate() *gate {
	return &gate{mu: sync.Mutex{}}
}

func (g *gate) isOpen() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.open
}

type door struct {
	lk     sync.Mutex
	closed bool
}

func (d *door) isClosed() bool {
	d.lk.Lock()
	defer d.lk.Unlock()
	return d.closed
}

func (d *door) withLock(f func()) {
	lock, unlock := d.lk.Lock, d.lk.Unlock
	lock()
	f()
	unlock()
}
