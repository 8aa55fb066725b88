package server

import "sync"

type Server struct {
	mu    sync.RWMutex
	other sync.Mutex
	conns int
}

// Released before waiting.
func (s *Server) Released() {
	var wg sync.WaitGroup
	s.mu.Lock()
	s.conns = 0
	s.mu.Unlock()
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
	}()
	wg.Wait()
}

// Readers under a read lock do not block each other.
func (s *Server) Readers() int {
	var wg sync.WaitGroup
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.mu.RLock()
		n = s.conns
		s.mu.RUnlock()
	}()
	wg.Wait()
	return n
}

// The goroutine locks another mutex.
func (s *Server) Other() {
	var wg sync.WaitGroup
	s.mu.Lock()
	defer s.mu.Unlock()
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.other.Lock()
		s.other.Unlock()
	}()
	wg.Wait()
}

// A Cond waits with its lock held by design.
func (s *Server) CondWait(c *sync.Cond) {
	c.L.Lock()
	for s.conns == 0 {
		c.Wait()
	}
	c.L.Unlock()
}

// A lock handed to a goroutine that unlocks it.
func (s *Server) Handoff() {
	var wg sync.WaitGroup
	s.mu.Lock()
	go func() {
		s.mu.Unlock()
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.mu.Lock()
		s.mu.Unlock()
	}()
	wg.Wait()
}
