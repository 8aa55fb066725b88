package p

import (
	"fmt"
	"time"
)

var results = make([]int, 4)

// A local variable named sync hides the package the fix needs.
func shadowSync() {
	sync := "local"
	go func() { results[1] = 2 }()
	time.Sleep(50 * time.Millisecond)
	fmt.Println("shadow", sync, results[1])
}

func syncParameter(sync int) {
	go func() { results[2] = sync }()
	time.Sleep(time.Millisecond)
}

// A local sync in another function does not matter.
func other() {
	go func() { results[3] = 3 }()
	time.Sleep(time.Millisecond)
}

func local() {
	sync := 1
	_ = sync
}
