package workers

import (
	"fmt"
	"time"
)

func show(v any) { fmt.Println(v) }

type tally struct{ sum int }

func (t *tally) add(n int) { t.sum += n }

// Index and selector expressions are evaluated at the go statement; method
// calls and slicing after it may change the argument's value.
func IndexArgument(values []int) {
	for i := range values {
		go show(values[i])
	}
	time.Sleep(time.Second)
}

func SelectorArgument() {
	s := struct{ n int }{1}
	go show(s.n)
	time.Sleep(time.Second)
}

func MethodCallAfter() {
	var t tally
	go show(t)
	t.add(2)
	time.Sleep(time.Second)
}

func ArraySliced() {
	arr := [3]int{1, 2, 3}
	go show(arr)
	s := arr[:]
	s[0] = 9
	time.Sleep(time.Second)
}
