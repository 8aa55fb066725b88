package server

import "sync"

type Server struct {
	wg    sync.WaitGroup
	conns chan int
}

func (s *Server) Start() {
	s.wg.Add(1) // the accept loop
	// The accept loop runs until conns is closed.
	go func() {
		defer s.wg.Done() // always release
		// Drain the channel.
		for c := range s.conns {
			handle(c) // one at a time
		}
		// Closed: nothing left to do.
	}()
}

func handle(int) {}
