package config

import (
	"strings"
	"sync"
)

var (
	names []string
	index map[string]int
)
var namesOnce sync.Once
var indexOnce sync.Once

// Tables builds both tables on first use.
func Tables() ([]string, map[string]int) {
	namesOnce.Do(func() {
		// The names, in order.
		names = strings.Fields("alpha beta gamma")
		/* more names may come later */
	})
	indexOnce.Do(func() {
		index = map[string]int{}
		for i, name := range names {
			if name == "" {
				break // an inner break is fine inside the closure
			}
			index[name] = i
		}
		// done
	})
	return names, index
}
