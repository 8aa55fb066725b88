package workers

import (
	"fmt"
	"sync"
	"testing"
)

func TestParallel(t *testing.T) {
	t.Run("all", func(t *testing.T) {
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			if i%2 == 0 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					t.Log("even", i)
				}()
			} else {
				switch i {
				case 1:
					wg.Add(1)
					go func() { defer wg.Done(); fmt.Println("one") }()
				}
			}
		}
		wg.Wait()
	})
}
