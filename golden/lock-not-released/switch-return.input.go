package cache

import "sync"

type entry struct{ state int }

// A Kubernetes-style cache: one case of the switch returns with the lock held.
type Cache struct {
	lock  sync.Mutex
	items map[string]*entry
}

func (c *Cache) Mark(key string, state int) bool {
	c.lock.Lock()
	e := c.items[key]
	switch {
	case e == nil:
		c.lock.Unlock()
		return false
	case e.state == state:
		// already there
		return true
	}
	e.state = state
	c.lock.Unlock()
	return true
}
