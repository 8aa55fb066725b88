package config

import "sync"

type Config struct{ Path string }

func loadConfig() *Config { return &Config{Path: "app.conf"} }

var cfg *Config
var cfgOnce sync.Once

func GetConfig() *Config {
	cfgOnce.Do(func() {
		cfg = loadConfig()
	})
	return cfg
}
