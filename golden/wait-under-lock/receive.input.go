package server

import "sync"

type Server struct {
	mu    sync.RWMutex
	conns int
}

// An etcd-style deadlock: receive under the read lock, the sender takes the write lock.
func (s *Server) Count() int {
	done := make(chan int)
	s.mu.RLock()
	go func() {
		s.mu.Lock()
		s.conns++
		n := s.conns
		s.mu.Unlock()
		done <- n
	}()
	n := <-done
	s.mu.RUnlock()
	return n
}
