package registry

import "sync"

// Registry maps names to addresses.
type Registry struct {
	name string
	mu   sync.Mutex // guards addrs
	// addrs is read far more often than it is written.
	addrs map[string]string
}

// Lookup only reads under the lock: it can share it with other readers.
func (r *Registry) Lookup(name string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock() // released on every return
	addr, ok := r.addrs[name]
	return addr, ok
}

// Len reads with an explicit Unlock.
func (r *Registry) Len() int {
	r.mu.Lock() // before reading
	// Count the entries.
	n := len(r.addrs)
	r.mu.Unlock()
	return n
}

// Register writes: it keeps the exclusive lock.
func (r *Registry) Register(name, addr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.addrs == nil {
		r.addrs = make(map[string]string)
	}
	r.addrs[name] = addr
}

// Forget writes with an explicit Unlock.
func (r *Registry) Forget(name string) {
	r.mu.Lock()
	delete(r.addrs, name)
	r.mu.Unlock()
}
