package workers

import (
	"fmt"
	gosync "sync"
	clock "time"
)

var mu gosync.Mutex

func record(s string) {
	mu.Lock()
	fmt.Println(s)
	mu.Unlock()
}

func Record(items []string) {
	for _, item := range items {
		go record(item)
	}
	clock.Sleep(clock.Second)
}
