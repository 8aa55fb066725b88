package registry

import "sync"

// A package-level registry: Register holds mu and calls lookup, which locks it again.
var (
	mu      sync.RWMutex
	drivers = map[string]string{}
)

func lookup(name string) (string, bool) {
	mu.RLock()
	defer mu.RUnlock()
	d, ok := drivers[name]
	return d, ok
}

func Register(name, driver string) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := lookup(name); dup {
		panic("registered twice: " + name)
	}
	drivers[name] = driver
}

// One level further: reset calls clear, which locks mu.
func clear() {
	mu.Lock()
	drivers = map[string]string{}
	mu.Unlock()
}

func reset() { clear() }

func Reload(names []string) {
	mu.Lock()
	reset()
	mu.Unlock()
}

// A parameter of the same name is another mutex.
func withLock(mu *sync.Mutex, f func()) {
	mu.Lock()
	defer mu.Unlock()
	f()
}

func Safe() {
	mu.RLock()
	n := len(drivers)
	mu.RUnlock()
	withLock(new(sync.Mutex), func() {})
	_ = n
}

// Read lock held, a reader called: recursive read locking (reported).
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	var out []string
	for name := range drivers {
		if _, ok := lookup(name); ok {
			out = append(out, name)
		}
	}
	return out
}
