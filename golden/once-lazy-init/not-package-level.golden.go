package config

type Config struct{ Path string }

var cfg *Config

type service struct{ cfg *Config }

// A local variable shadows the package-level cfg.
func Local() *Config {
	var cfg *Config
	if cfg == nil {
		cfg = &Config{}
	}
	return cfg
}

// A parameter shadows it too.
func Param(cfg *Config) *Config {
	if cfg == nil {
		cfg = &Config{}
	}
	return cfg
}

// A field is not a package-level variable.
func (s *service) Config() *Config {
	if s.cfg == nil {
		s.cfg = &Config{}
	}
	return s.cfg
}
