package cache

import "sync"

type store struct {
	mu      sync.Mutex
	entries map[string][]byte
}

func (s *store) put(key string, value []byte) {
	s.mu.Lock()
	s.entries[key] = value
	s.mu.Unlock()
}
