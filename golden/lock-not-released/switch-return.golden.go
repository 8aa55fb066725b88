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
	defer c.lock.Unlock()
	e := c.items[key]
	switch {
	case e == nil:
		return false
	case e.state == state:
		// already there
		return true
	}
	e.state = state
	return true
}
