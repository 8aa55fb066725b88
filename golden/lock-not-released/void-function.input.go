package conn

import "sync"

type Conn struct {
	mu     sync.Mutex
	closed bool
	queue  []string
}

// Send queues a message; a closed connection drops it.
func (c *Conn) Send(msg string) {
	c.mu.Lock()
	if c.closed {
		return
	}
	c.queue = append(c.queue, msg)
	c.mu.Unlock()
}

func flush(mu *sync.Mutex, pending []string, out chan<- string) {
	mu.Lock()
	for _, p := range pending {
		if p == "" {
			return
		}
		out <- p
	}
	mu.Unlock()
}
