package cleanup

import (
	"fmt"
	"sync"
	"time"
)

func work(id int) { fmt.Println("work", id) }

// Each deferred function already waits for the goroutine it starts.
func Waits() {
	defer func() {
		done := make(chan struct{})
		go func() {
			work(1)
			close(done)
		}()
		<-done
	}()
	defer func() {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(2)
		}()
		wg.Wait()
	}()
	defer func() {
		results := make(chan int, 1)
		go func() { results <- 3 }()
		select {
		case n := <-results:
			work(n)
		case <-time.After(time.Second):
		}
	}()
}
