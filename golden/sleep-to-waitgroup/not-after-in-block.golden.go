package workers

import (
	"fmt"
	"time"
)

// The sleep comes before the goroutine.
func Before() {
	time.Sleep(time.Second)
	go fmt.Println("late")
}

// The sleep is inside the goroutine.
func Inside() {
	go func() {
		time.Sleep(time.Second)
		fmt.Println("slow")
	}()
}

// The sleep is in another block than the goroutine's statement.
func OtherBlock(wait bool) {
	go fmt.Println("started")
	if wait {
		time.Sleep(time.Second)
	}
}

// The goroutine is started by a function literal that is not run here.
func NotRunHere(register func(func())) {
	register(func() { go fmt.Println("later") })
	time.Sleep(time.Second)
}
