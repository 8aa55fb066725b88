package workers

import (
	"fmt"
	"time"
)

func Run(n int) {
	for i := 0; i < n; i++ {
		go func() {
			fmt.Println("worker", i)
		}()
	}
	time.Sleep(time.Second)
}
