package workers

import (
	"fmt"
	"time"
)

type group struct{ name string }

// The name wg is taken here (a parameter), so the WaitGroup is called wg2.
func Run(wg group, jobs []string) {
	fmt.Println(wg.name)
	for _, job := range jobs {
		go func() { fmt.Println(job) }()
	}
	time.Sleep(time.Second)
}

// In another function the name is free again.
func Other() {
	go fmt.Println("other")
	time.Sleep(time.Second)
}
