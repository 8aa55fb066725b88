package session

import "sync"

type session struct {
	mu     sync.Mutex
	values map[string]string
}

func (s *session) get(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.values[k]
}

// lock and unlock split one critical section over two functions.
func (s *session) lock()   { s.mu.Lock() }
func (s *session) unlock() { s.mu.Unlock() }

// Unlocking in the middle of a deferred section.
func (s *session) refresh(load func() map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.Unlock()
	fresh := load()
	s.mu.Lock()
	s.values = fresh
}

// A deferred Unlock in a branch holds the lock until the function returns.
func (s *session) size(check bool) int {
	if check {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	return len(s.values)
}
