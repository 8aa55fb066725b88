package p

import (
	"fmt"
	"sync"
)

// Done runs before the deferred send: Wait returns, then the send is
// received. With wg.Go, Done would run after the send, which waits for the
// receive after Wait: a deadlock.
func deferInBody() {
	var wg sync.WaitGroup
	ch := make(chan int)
	wg.Add(1)
	go func() {
		defer func() { ch <- 1 }()
		fmt.Println("work")
		wg.Done()
	}()
	wg.Wait()
	fmt.Println("got", <-ch)
}

func deferInIf(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if ok {
			defer fmt.Println("later")
		}
		wg.Done()
	}()
	wg.Wait()
}

// A defer inside a nested function literal runs when that literal returns.
func nestedDefer() {
	var wg sync.WaitGroup
	wg.Go(func() {
		func() {
			defer fmt.Println("inner")
		}()
	})
	wg.Wait()
}
