package cache

// The field is declared in another file of the package (store.go).

func (s *store) get(key string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.entries[key]
}

func (s *store) size() (n int) {
	s.mu.Lock()
	for _, v := range s.entries {
		n += len(v)
	}
	s.mu.Unlock()
	return n
}

func (s *store) clear() {
	s.mu.Lock()
	clear(s.entries)
	s.mu.Unlock()
}
