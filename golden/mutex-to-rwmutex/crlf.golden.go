package flags

import "sync"

type set struct {
	mu sync.RWMutex
	on map[string]bool
}

func (s *set) enabled(name string) bool {
	s.mu.RLock()
	if s.on == nil {
		s.mu.RUnlock()
		return false
	}
	v := s.on[name]
	s.mu.RUnlock()
	return v
}

func (s *set) enable(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.on[name] = true
}
