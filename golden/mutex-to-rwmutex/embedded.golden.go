package metrics

import "sync"

// Lock and Unlock are promoted into gauge's method set: callers anywhere may
// use them, so the embedded mutex stays exclusive (and is reported).
type gauge struct {
	sync.Mutex
	value float64
}

func (g *gauge) Value() float64 {
	g.Lock()
	defer g.Unlock()
	return g.value
}

func (g *gauge) Set(v float64) {
	g.Lock()
	g.value = v
	g.Unlock()
}
