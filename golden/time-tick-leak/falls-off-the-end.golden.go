package probe

import (
	"fmt"
	tm "time"
)

type time struct{}

func (time) Tick(int) {}

// Two ticks, then the function ends: the ticker lives on.
func Twice(f func()) {
	c := tm.Tick(tm.Second)
	<-c
	f()
	<-c
	f()
	var t time
	t.Tick(1) // a method of a local type, not the time package
}

// The break only leaves the select: Poll never returns (not reported).
func Poll(in <-chan int) {
	for range tm.Tick(tm.Second) {
		select {
		case v := <-in:
			fmt.Println(v)
		default:
			break
		}
	}
}
