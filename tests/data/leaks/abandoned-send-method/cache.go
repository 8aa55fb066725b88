// Package cache loads values with a deadline.
package cache

import (
	"errors"
	"time"
)

// Cache loads values through a slow backend.
type Cache struct {
	load func(key string) (string, error)
}

type loaded struct {
	value string
	err   error
}

// Get gives up after d; the loader started for key then has nobody to
// hand its result to.
func (c *Cache) Get(key string, d time.Duration) (string, error) {
	results := make(chan loaded)
	go c.fetch(key, results)
	select {
	case r := <-results:
		return r.value, r.err
	case <-time.After(d):
		return "", errors.New("cache: load timed out")
	}
}

func (c *Cache) fetch(key string, results chan<- loaded) {
	value, err := c.load(key)
	results <- loaded{value, err}
}
