package server

type Server struct {
	quit  chan struct{}
	conns chan int
}

func (s *Server) Serve(stopCh, done <-chan struct{}) {
	go func() {
		for {
			select {
			case <-s.quit:
				return
			case c := <-s.conns:
				_ = c
			}
		}
	}()
	go func() {
		for {
			select {
			case <-stopCh:
				return
			case c := <-s.conns:
				_ = c
			}
		}
	}()
	go func() {
		for {
			select {
			case <-done:
				return
			case c := <-s.conns:
				_ = c
			}
		}
	}()
}
