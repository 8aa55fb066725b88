package workers

import (
	"fmt"
	gosync "sync"
)

var mu gosync.Mutex

func record(s string) {
	mu.Lock()
	fmt.Println(s)
	mu.Unlock()
}

func Record(items []string) {
	var wg gosync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func() { defer wg.Done(); record(item) }()
	}
	wg.Wait()
}
