package sched

import "sync"

type Sched struct {
	mu      sync.Mutex
	cond    *sync.Cond
	wake    *sync.Cond
	Exposed *sync.Cond
	n       int
}

func (s *Sched) init() {
	s.cond = sync.NewCond(&s.mu)
	s.wake = sync.NewCond(&s.mu)
}

// Broadcast in the package.
func (s *Sched) Done() {
	s.mu.Lock()
	s.n--
	s.cond.Broadcast()
	s.mu.Unlock()
}

func (s *Sched) Wait() {
	s.mu.Lock()
	for s.n > 0 {
		s.cond.Wait()
	}
	s.mu.Unlock()
}

// Handed to a helper that may signal it: unknown.
func (s *Sched) Sleep() {
	register(s.wake)
	s.mu.Lock()
	s.wake.Wait()
	s.mu.Unlock()
}

func register(c *sync.Cond) {}

// Exported: another package may signal it.
func (s *Sched) Pause() {
	s.mu.Lock()
	s.Exposed.Wait()
	s.mu.Unlock()
}
