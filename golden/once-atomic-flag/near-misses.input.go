package nearmiss

import (
	"fmt"
	"sync/atomic"
)

// Bool has sync/atomic's method set but is another type.
type Bool struct{ v int32 }

func (b *Bool) CompareAndSwap(old, new bool) bool {
	return atomic.CompareAndSwapInt32(&b.v, toInt(old), toInt(new))
}

func toInt(v bool) int32 {
	if v {
		return 1
	}
	return 0
}

type casser struct{}

func (casser) CompareAndSwapInt32(p *int32, old, new int32) bool { return false }

type service struct {
	started atomic.Bool
}

var preset int32 = 1

var custom Bool

var shadowed int32

var swapped int32

var other int32

// A field is not a package-level flag.
func (s *service) Start() {
	if s.started.CompareAndSwap(false, true) {
		fmt.Println("start")
	}
}

// A local flag is not shared between calls.
func Local() {
	var flag int32
	if atomic.CompareAndSwapInt32(&flag, 0, 1) {
		fmt.Println("local")
	}
}

// The flag starts at 1: the body never runs.
func Preset() {
	if atomic.CompareAndSwapInt32(&preset, 0, 1) {
		fmt.Println("never")
	}
}

// A local variable named atomic is not the package.
func Shadowed() {
	atomic := casser{}
	if atomic.CompareAndSwapInt32(&shadowed, 0, 1) {
		fmt.Println("shadowed")
	}
}

// Not sync/atomic's Bool.
func Custom() {
	if custom.CompareAndSwap(false, true) {
		fmt.Println("custom")
	}
}

// Other values, an else branch, an init statement.
func Shapes(ok bool) {
	if atomic.CompareAndSwapInt32(&swapped, 1, 0) {
		fmt.Println("swapped back")
	}
	if atomic.CompareAndSwapInt32(&other, 0, 1) {
		fmt.Println("first")
	} else {
		fmt.Println("not first")
	}
	if x := ok; atomic.CompareAndSwapInt32(&other, 0, 1) && x {
		fmt.Println("init")
	}
}
