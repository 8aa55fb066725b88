// Command hazards shows the Go concurrency hazards gocodemod fixes.
// Run `gocodemod run examples/hazards` to review the fixes as a diff.
package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

type Config struct{ Name string }

func loadConfig() *Config { return &Config{Name: "demo"} }

var config *Config

// GetConfig lazily initialises config: two goroutines may both load it.
func GetConfig() *Config {
	if config == nil {
		config = loadConfig()
	}
	return config
}

var started int32

func startOnce() {
	if atomic.CompareAndSwapInt32(&started, 0, 1) {
		fmt.Println("started")
	}
}

func flush(name string) { fmt.Println("flushed", name) }

// handle starts a goroutine from a deferred closure: nobody waits for it.
func handle(name string) {
	defer func() {
		go flush(name)
	}()
	fmt.Println("handling", name)
}

// fanOut "waits" for its goroutines by sleeping.
func fanOut(items []string) {
	for _, item := range items {
		go func() {
			fmt.Println("processing", item)
		}()
	}
	time.Sleep(100 * time.Millisecond)
}

// fetch cancels its context on one path only.
func fetch(parent context.Context, fail bool) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if fail {
		cancel()
		return fmt.Errorf("failed")
	}
	<-ctx.Done()
	return nil
}

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) Get(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[key]
}

func (c *counter) Inc(key string) {
	c.mu.Lock()
	c.n[key]++
	c.mu.Unlock()
}

func describe(v interface{}) string { return fmt.Sprint(v) }

func main() {
	fmt.Println(GetConfig().Name)
	startOnce()
	handle("a")
	fanOut([]string{"x", "y"})
	_ = fetch(context.Background(), true)
	c := &counter{n: map[string]int{}}
	c.Inc("k")
	fmt.Println(c.Get("k"), describe(1))
}
