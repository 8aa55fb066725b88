package registry

import "sync"

// A Moby-style registry with an embedded mutex: Inc holds it and calls Get.
type Registry struct {
	sync.Mutex
	m map[string]int
}

func (r *Registry) Get(k string) int {
	r.Lock()
	defer r.Unlock()
	return r.m[k]
}

func (r *Registry) Inc(k string) {
	r.Lock()
	defer r.Unlock()
	r.m[k] = r.Get(k) + 1
}

// Unlocked before the call: fine.
func (r *Registry) Reset(k string) int {
	r.Lock()
	delete(r.m, k)
	r.Unlock()
	return r.Get(k)
}
