package workers

import (
	"fmt"
	"sync"
	"time"
)

func Channel() int {
	results := make(chan int, 1)
	go func() { results <- 42 }()
	time.Sleep(time.Millisecond)
	return <-results
}

func WaitGroup() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		fmt.Println("work")
	}()
	time.Sleep(time.Millisecond)
	wg.Wait()
}

func Mutex(counter *int, mu *sync.Mutex) {
	go func() {
		mu.Lock()
		*counter++
		mu.Unlock()
	}()
	time.Sleep(time.Millisecond)
	cond := sync.NewCond(mu)
	mu.Lock()
	cond.Wait()
	mu.Unlock()
}
