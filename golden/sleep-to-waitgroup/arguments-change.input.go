package workers

import (
	"fmt"
	"time"
)

func show(v any) { fmt.Println(v) }

func next() int { return 1 }

// Wrapping these calls would evaluate the arguments later, when they hold
// other values: the recipe leaves them and says why.
func Reassigned() {
	x := 1
	go show(x)
	x = 2
	time.Sleep(time.Second)
	fmt.Println(x)
}

func Computed() {
	go show(next())
	time.Sleep(time.Second)
}

func SharedInLoop(items []int) {
	var last int
	for _, item := range items {
		last = item
		go show(last)
	}
	time.Sleep(time.Second)
}

func FieldOfChangingValue() {
	s := struct{ n int }{1}
	go show(s.n)
	s.n = 2
	time.Sleep(time.Second)
}
