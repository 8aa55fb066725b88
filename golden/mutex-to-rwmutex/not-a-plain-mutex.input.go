package misc

import (
	"sync"

	other "example.com/sync"
)

// A pointer to a mutex may be shared with other structs.
type shared struct {
	mu *sync.Mutex
	n  int
}

func (s *shared) get() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// Already a read-write mutex.
type done struct {
	rw sync.RWMutex
	n  int
}

func (d *done) get() int {
	d.rw.RLock()
	defer d.rw.RUnlock()
	return d.n
}

// Not the standard library's sync.
type foreign struct {
	fm other.Mutex
	n  int
}

func (f *foreign) get() int {
	f.fm.Lock()
	defer f.fm.Unlock()
	return f.n
}

// Two fields share a name, and this use could be either.
type left struct {
	mx sync.Mutex
	n  int
}

type right struct {
	mx sync.Mutex
	n  int
}

func get(pick func() *left) int {
	l := pick()
	l.mx.Lock()
	defer l.mx.Unlock()
	return l.n
}
