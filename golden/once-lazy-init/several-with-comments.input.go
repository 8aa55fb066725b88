package config

import "strings"

var (
	names []string
	index map[string]int
)

// Tables builds both tables on first use.
func Tables() ([]string, map[string]int) {
	if names == nil {
		// The names, in order.
		names = strings.Fields("alpha beta gamma")
		/* more names may come later */
	}
	if index == nil {
		index = map[string]int{}
		for i, name := range names {
			if name == "" {
				break // an inner break is fine inside the closure
			}
			index[name] = i
		}
		// done
	}
	return names, index
}
