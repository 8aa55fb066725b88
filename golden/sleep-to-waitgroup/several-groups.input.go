package workers

import (
	"fmt"
	"time"
)

func step(name string, n int) { fmt.Println(name, n) }

func Pipeline(n int) {
	fmt.Println("phase one")
	for i := range n {
		go func(k int) { step("one", k) }(i)
	}
	go step("one", -1)
	time.Sleep(time.Second)

	fmt.Println("phase two")
	go func() {
		step("two", 0)
	}()
	time.Sleep(time.Second)
}
