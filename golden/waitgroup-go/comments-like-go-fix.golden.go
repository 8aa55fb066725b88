package main

import (
	"sync"
	"time"
)

func work() {}

func run() {
	var wg sync.WaitGroup
	wg.Go(func() { // the writer
		// Accept a connection and copy 1 byte from the read end of
		// the pipe to the connection.
		work()
		// nothing else to do
	}) // started
	wg.Go(func() {
		work()
		// last words
	})
	// a comment between Add and go
	wg.Go(func() {
		// only a comment
	})
	wg.Wait()
	time.Sleep(time.Millisecond)
}
