package conn

import "sync"

type Conn struct {
	mu    sync.Mutex
	state int
}

// Locker hands the mutex to other packages.
func (c *Conn) Locker() sync.Locker { return &c.mu }

func (c *Conn) State() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}
