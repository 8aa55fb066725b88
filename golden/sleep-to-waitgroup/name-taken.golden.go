package workers

import (
	"fmt"
	"sync"
)

type group struct{ name string }

// The name wg is taken here (a parameter), so the WaitGroup is called wg2.
func Run(wg group, jobs []string) {
	fmt.Println(wg.name)
	var wg2 sync.WaitGroup
	for _, job := range jobs {
		wg2.Add(1)
		go func() { defer wg2.Done(); fmt.Println(job) }()
	}
	wg2.Wait()
}

// In another function the name is free again.
func Other() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); fmt.Println("other") }()
	wg.Wait()
}
