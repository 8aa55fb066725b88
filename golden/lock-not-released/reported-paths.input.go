package pool

import (
	"log"
	"sync"
)

type Pool struct {
	mu    sync.Mutex
	idle  []int
	stats map[int]int
}

// A gRPC-style loop: continue skips the unlock, the next Lock deadlocks.
func (p *Pool) Sweep(ids []int) {
	for _, id := range ids {
		p.mu.Lock()
		if id < 0 {
			continue
		}
		p.stats[id]++
		p.mu.Unlock()
	}
}

// The unlock is followed by a call: a defer would run it under the lock.
func (p *Pool) Take() int {
	p.mu.Lock()
	if len(p.idle) == 0 {
		return -1
	}
	id := p.idle[0]
	p.idle = p.idle[1:]
	p.mu.Unlock()
	log.Printf("took %d", id)
	return id
}

// The lock is taken inside a block: a defer would hold it to the end.
func (p *Pool) Drain(force bool) {
	if force {
		p.mu.Lock()
		if len(p.idle) == 0 {
			return
		}
		p.idle = nil
		p.mu.Unlock()
	}
	log.Print("drained")
}

// break out of the loop skips the unlock inside it.
func (p *Pool) First() int {
	var found int
	for _, id := range p.idle {
		p.mu.Lock()
		if id > 0 {
			found = id
			break
		}
		p.mu.Unlock()
	}
	return found
}

// An etcd-style acquire: the lock taken in the loop is kept when the pool is closed.
func (p *Pool) acquire() error {
	for {
		p.mu.Lock()
		closed := p.idle == nil
		if closed {
			return errClosed
		}
		p.mu.Unlock()
		return nil
	}
}
