package flags

import "sync"

type set struct {
	mu sync.Mutex
	on map[string]bool
}

func (s *set) enabled(name string) bool {
	s.mu.Lock()
	if s.on == nil {
		s.mu.Unlock()
		return false
	}
	v := s.on[name]
	s.mu.Unlock()
	return v
}

func (s *set) enable(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.on[name] = true
}
