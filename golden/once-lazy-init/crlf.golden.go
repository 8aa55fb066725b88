package config

import "sync"

type Config struct{ Path string }

var cfg *Config
var cfgOnce sync.Once

func GetConfig() *Config {
	cfgOnce.Do(func() {
		// first use
		cfg = &Config{Path: "app.conf"}
	})
	return cfg
}
