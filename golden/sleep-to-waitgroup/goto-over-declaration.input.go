package p

import (
	"fmt"
	"time"
)

var results = make([]int, 4)

// The WaitGroup's declaration would sit between the goto and its label:
// "goto end jumps over variable declaration".
func gotoOver(skip bool) {
	if skip {
		goto end
	}
	go func() { results[0] = 1 }()
	time.Sleep(50 * time.Millisecond)
end:
	fmt.Println("gotoOver", results[0])
}
