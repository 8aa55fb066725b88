package config

import (
	"errors"
	"os"
)

type Config struct{ Path string }

var cfg *Config

var data []byte

var first *Config

// The body returns: inside the closure given to Do it would return from the closure.
func Load() (*Config, error) {
	if cfg == nil {
		if os.Getenv("NOCONF") != "" {
			return nil, errors.New("no config")
		}
		cfg = &Config{}
	}
	return cfg, nil
}

// A deferred call would run when the closure ends, not when Read returns.
func Read(name string) []byte {
	if data == nil {
		f, err := os.Open(name)
		if err == nil {
			defer f.Close()
		}
		data, _ = os.ReadFile(name)
	}
	return data
}

// A continue that belongs to the enclosing loop.
func Scan(names []string) *Config {
	for _, name := range names {
		if first == nil {
			if name == "" {
				continue
			}
			first = &Config{Path: name}
		}
	}
	return first
}
