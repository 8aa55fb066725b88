package session

import "sync"

type Session struct {
	mu     sync.Mutex
	closed bool
}

// lockIfOpen returns true with mu locked, false with it unlocked.
func (s *Session) lockIfOpen() bool {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return false
	}
	return true
}

// acquire returns with s.mu held for the caller unless the session is closed.
func (s *Session) acquire() bool {
	s.mu.Lock()
	if !s.closed {
		return true
	}
	s.mu.Unlock()
	return false
}

// begin returns with s.mu held when it succeeds; the caller unlocks it.
func (s *Session) begin() error {
	s.mu.Lock()
	if !s.closed {
		return nil
	}
	s.mu.Unlock()
	return errClosed
}

// Conditional locking: unlocked under the same condition.
func (s *Session) Touch(locking bool) {
	if locking {
		s.mu.Lock()
	}
	s.closed = false
	if locking {
		s.mu.Unlock()
	}
}

// A read lock taken again while held (recursive read locking) is not this recipe's.
type Table struct {
	mu   sync.RWMutex
	rows []int
}

func (t *Table) Sum() int {
	t.mu.RLock()
	n := 0
	for _, r := range t.rows {
		n += r
	}
	t.mu.RUnlock()
	return n
}
