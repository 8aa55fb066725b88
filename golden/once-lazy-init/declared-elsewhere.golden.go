package config

import "sync"

var clientOnce sync.Once

// client is declared in another file of the package: the Once goes before
// this function.
func DefaultClient() *Client {
	clientOnce.Do(func() {
		client = &Client{Name: "default"}
	})
	return client
}
