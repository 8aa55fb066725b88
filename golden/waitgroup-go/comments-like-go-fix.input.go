package main

import (
	"sync"
	"time"
)

func work() {}

func run() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the writer
		// Accept a connection and copy 1 byte from the read end of
		// the pipe to the connection.
		defer wg.Done() // signal
		work()
		// nothing else to do
	}() // started
	wg.Add(1)
	go func() {
		work()
		// last words
		wg.Done() // done
	}()
	wg.Add(1)
	// a comment between Add and go
	go func() {
		defer wg.Done()
		// only a comment
	}()
	wg.Wait()
	time.Sleep(time.Millisecond)
}
