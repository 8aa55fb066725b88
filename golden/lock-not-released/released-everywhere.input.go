package registry

import "sync"

type Registry struct {
	mu    sync.Mutex
	names map[string]int
	cond  *sync.Cond
}

// defer already there.
func (r *Registry) Lookup(name string) (int, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.names[name]
	if !ok {
		return 0, false
	}
	return id, true
}

// Unlock on every path.
func (r *Registry) Add(name string, id int) bool {
	r.mu.Lock()
	if _, ok := r.names[name]; ok {
		r.mu.Unlock()
		return false
	}
	r.names[name] = id
	r.mu.Unlock()
	return true
}

// A helper releases the lock on the early path.
func (r *Registry) Remove(name string) {
	r.mu.Lock()
	if name == "" {
		r.unlockAndNotify()
		return
	}
	delete(r.names, name)
	r.mu.Unlock()
}

func (r *Registry) unlockAndNotify() {
	r.mu.Unlock()
	r.cond.Broadcast()
}

// A loop that keeps the lock across iterations and re-takes it at the end.
func (r *Registry) Wait(n int) {
	r.mu.Lock()
	for {
		if len(r.names) >= n {
			break
		}
		r.mu.Unlock()
		r.poll()
		r.mu.Lock()
	}
	r.mu.Unlock()
}

func (r *Registry) poll() {}

// Panics end the path.
func (r *Registry) Must(name string) int {
	r.mu.Lock()
	id, ok := r.names[name]
	if !ok {
		panic("missing " + name)
	}
	r.mu.Unlock()
	return id
}
