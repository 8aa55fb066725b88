package hub

import "log"

type Hub struct {
	register   chan string
	unregister chan string
	clients    map[string]bool
}

func (h *Hub) Start(verbose bool) {
	go func() {
		if verbose {
			log.Print("hub started")
		}
		// The main loop.
		for {
			select {
			case name := <-h.register: // a new client
				h.clients[name] = true
			case name := <-h.unregister:
				switch {
				case !h.clients[name]:
					break // leaves the select, not the loop
				default:
					delete(h.clients, name)
				}
			}
			notify := func() error {
				return nil // the closure's return does not end the loop
			}
			_ = notify()
		}
	}()
}
