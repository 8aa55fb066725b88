package config

type Config struct{ Path string }

var cfg *Config

func GetConfig() *Config {
	if cfg == nil {
		// first use
		cfg = &Config{Path: "app.conf"}
	}
	return cfg
}
