package watch

import "sync"

// A Docker-style deadlock one call away: notify calls the locking send.
type Hub struct {
	mu   sync.Mutex
	subs []chan string
}

func (h *Hub) send(ev string) {
	h.mu.Lock()
	for _, s := range h.subs {
		s <- ev
	}
	h.mu.Unlock()
}

func (h *Hub) notify(ev string) {
	h.send(ev)
}

func (h *Hub) Subscribe(c chan string) {
	h.mu.Lock()
	h.subs = append(h.subs, c)
	h.notify("joined")
	h.mu.Unlock()
}
