package lease

import "sync"

type Lessor struct {
	mu     sync.Mutex
	leases map[int64]int64
}

// Renew holds l.mu and calls expire, declared in another file, which locks it.
func (l *Lessor) Renew(id, ttl int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ttl <= 0 {
		l.expire(id)
		return
	}
	l.leases[id] = ttl
}
