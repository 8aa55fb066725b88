package config

import (
	"strconv"
	"sync"
)

var port *int
var portOnce2 sync.Once

// portOnce is already declared in another file of the package.
func Port() int {
	portOnce2.Do(func() {
		p, err := strconv.Atoi("8080")
		if err != nil {
			p = 80
		}
		port = &p
	})
	return *port
}
