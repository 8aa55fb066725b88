package config

import "strconv"

var port *int

// portOnce is already declared in another file of the package.
func Port() int {
	if port == nil {
		p, err := strconv.Atoi("8080")
		if err != nil {
			p = 80
		}
		port = &p
	}
	return *port
}
