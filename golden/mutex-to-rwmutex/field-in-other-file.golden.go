package cache

import "sync"

// The only read-only section is in another file of the package (lookup.go).
type store struct {
	mu      sync.RWMutex
	entries map[string][]byte
}

func (s *store) put(key string, value []byte) {
	s.mu.Lock()
	s.entries[key] = value
	s.mu.Unlock()
}
