package stats

import (
	"fmt"
	gosync "sync"
)

type counters struct {
	lock   gosync.RWMutex
	values []int
	labels map[int]string
}

// Sum uses its own variables only: a loop counter, a named result.
func (c *counters) Sum() (total int) {
	c.lock.RLock()
	defer c.lock.RUnlock()
	for i := 0; i < len(c.values); i++ {
		total += c.values[i]
	}
	return
}

// Label leaves early with an Unlock right before the return.
func (c *counters) Label(i int) (string, error) {
	c.lock.RLock()
	label, ok := c.labels[i]
	if !ok {
		c.lock.RUnlock()
		return "", fmt.Errorf("no label for %d", i)
	}
	c.lock.RUnlock()
	return label, nil
}

func (c *counters) Add(v int) {
	c.lock.Lock()
	c.values = append(c.values, v)
	c.lock.Unlock()
}
