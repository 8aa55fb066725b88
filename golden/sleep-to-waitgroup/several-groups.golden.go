package workers

import (
	"fmt"
	"sync"
)

func step(name string, n int) { fmt.Println(name, n) }

func Pipeline(n int) {
	fmt.Println("phase one")
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func(k int) { defer wg.Done(); step("one", k) }(i)
	}
	wg.Add(1)
	go func() { defer wg.Done(); step("one", -1) }()
	wg.Wait()

	fmt.Println("phase two")
	var wg2 sync.WaitGroup
	wg2.Add(1)
	go func() {
		defer wg2.Done()
		step("two", 0)
	}()
	wg2.Wait()
}
