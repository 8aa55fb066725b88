package config

type Config struct{ Path string }

var cfg *Config

var defaults = &Config{Path: "default.conf"}

var cache map[string]string

// cfg is reset below (and by another file): sync.Once would not run again.
func GetConfig() *Config {
	if cfg == nil {
		cfg = &Config{Path: "app.conf"}
	}
	return cfg
}

func Reset() { cfg = nil }

// defaults has an initial value: the if may never have run before.
func Defaults() *Config {
	if defaults == nil {
		defaults = &Config{}
	}
	return defaults
}

// cache is filled through its address elsewhere (in the other file).
func Cache() map[string]string {
	if cache == nil {
		cache = map[string]string{}
	}
	return cache
}

var registry map[string]func()

// registry is an accumulator: the if only allocates it, entries are added
// after it, so a Once would make only the allocation safe.
func Register(name string, f func()) {
	if registry == nil {
		registry = map[string]func(){}
	}
	registry[name] = f
}
