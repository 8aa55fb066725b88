package server

func (s *Server) shutdown() {
	close(s.quit)
}
