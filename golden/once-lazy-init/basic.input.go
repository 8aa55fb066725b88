package config

type Config struct{ Path string }

func loadConfig() *Config { return &Config{Path: "app.conf"} }

var cfg *Config

func GetConfig() *Config {
	if cfg == nil {
		cfg = loadConfig()
	}
	return cfg
}
