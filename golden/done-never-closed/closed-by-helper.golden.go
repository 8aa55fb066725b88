package server

type Server struct {
	quit chan struct{}
	done chan bool
}

func NewServer() *Server {
	return &Server{quit: make(chan struct{}), done: make(chan bool)}
}

// quit is closed by shutdown, in another file; done by finish below.
func (s *Server) Serve() {
	go func() {
		<-s.quit
		s.finish()
	}()
	<-s.done
}

func (s *Server) finish() {
	s.done <- true
}
