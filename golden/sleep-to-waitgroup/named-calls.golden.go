package workers

import (
	"fmt"
	"sync"
	"time"
)

const prefix = "job"

func process(id int, name string) { fmt.Println(prefix, id, name) }

type pool struct{ size int }

func (p *pool) start(id int) { fmt.Println("start", id, p.size) }

// Arguments are constants or names that keep their value: the calls are
// wrapped. time stays imported: Now still uses it.
func Start(ids []int, p *pool) time.Time {
	label := "batch"
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() { defer wg.Done(); process(id, label) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); p.start(0) }()
	wg.Add(1)
	go func() { defer wg.Done(); fmt.Println(prefix, "started", -1) }()
	wg.Wait()
	return time.Now()
}
