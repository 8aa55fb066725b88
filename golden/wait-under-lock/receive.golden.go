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

// The goroutine closes the channel once it has the lock.
func (s *Server) Reset() {
	ready := make(chan struct{})
	s.mu.Lock()
	defer s.mu.Unlock()
	go func() {
		s.mu.Lock()
		s.conns = 0
		s.mu.Unlock()
		close(ready)
	}()
	<-ready
}
