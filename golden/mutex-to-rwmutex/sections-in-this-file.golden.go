package cache

// The field is declared in another file of the package (store.go).

func (s *store) get(key string) []byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.entries[key]
}

func (s *store) size() (n int) {
	s.mu.RLock()
	for _, v := range s.entries {
		n += len(v)
	}
	s.mu.RUnlock()
	return n
}

func (s *store) clear() {
	s.mu.Lock()
	clear(s.entries)
	s.mu.Unlock()
}
