package workers

import (
	"fmt"
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
	for _, id := range ids {
		go process(id, label)
	}
	go p.start(0)
	go fmt.Println(prefix, "started", -1)
	time.Sleep(50 * time.Millisecond)
	return time.Now()
}
