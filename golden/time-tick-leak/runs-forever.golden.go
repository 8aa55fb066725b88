package main

import (
	"fmt"
	"time"
)

// main ends the process: the ticker dies with it.
func main() {
	go report()
	for now := range time.Tick(time.Second) {
		fmt.Println(now)
	}
}

// A goroutine body that loops over the ticks for the life of the process.
func report() {
	for range time.Tick(time.Minute) {
		fmt.Println("alive")
	}
}

func init() {
	go func() {
		c := time.Tick(time.Hour)
		for {
			select {
			case <-c:
				fmt.Println("hourly")
			}
		}
	}()
}
