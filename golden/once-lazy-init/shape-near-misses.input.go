package config

type Config struct{ Path string }

var cfg *Config

var fallback *Config

// An else branch: not a lazy initialisation.
func WithElse() *Config {
	if cfg == nil {
		cfg = &Config{}
	} else {
		cfg.Path = "again"
	}
	return cfg
}

// The body does not assign the variable.
func Check() {
	if cfg == nil {
		panic("config not loaded")
	}
}

// The condition is not a nil check of the variable.
func Other() *Config {
	if fallback != nil {
		fallback = &Config{}
	}
	if cfg == fallback {
		fallback = &Config{}
	}
	return fallback
}
