package workers

import (
	"fmt"
	"time"
)

func first(n int)  { fmt.Println("first", n) }
func second(n int) { fmt.Println("second", n) }

type job struct{ run func(int) }

// The function value is evaluated at the go statement: an index expression,
// a variable assigned later, or a field of a value that changes.
func Indexed(handlers []func(int)) {
	for i := range handlers {
		go handlers[i](i)
	}
	time.Sleep(time.Second)
}

func ReassignedFunc() {
	fn := first
	go fn(1)
	fn = second
	time.Sleep(time.Second)
	fn(2)
}

func FieldFunc() {
	j := job{run: first}
	go j.run(1)
	j.run = second
	time.Sleep(time.Second)
}
