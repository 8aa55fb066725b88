package config

type Client struct{ Name string }

var client *Client
