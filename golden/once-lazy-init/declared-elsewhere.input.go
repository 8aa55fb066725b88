package config

// client is declared in another file of the package: the Once goes before
// this function.
func DefaultClient() *Client {
	if client == nil {
		client = &Client{Name: "default"}
	}
	return client
}
