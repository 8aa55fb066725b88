package config

import "sync"

type Config struct{ Path string }

var (
	cfg   *Config
	table map[string]int
	names []string
)

var (
	mu   sync.Mutex
	once sync.Once
)

// init runs once, before anything else.
func init() {
	if table == nil {
		table = map[string]int{"a": 1}
	}
}

// The caller holds a lock.
func Locked() *Config {
	mu.Lock()
	defer mu.Unlock()
	if cfg == nil {
		cfg = &Config{}
	}
	return cfg
}

// Already inside a Do.
func Names() []string {
	once.Do(func() {
		if names == nil {
			names = []string{"x"}
		}
	})
	return names
}
