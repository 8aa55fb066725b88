package config

// client is declared in another file of the package.
func DefaultClient() *Client {
	if client == nil {
		client = &Client{Name: "default"}
	}
	return client
}
