package workers

import (
	"fmt"
	"testing"
	"time"
)

func TestParallel(t *testing.T) {
	t.Run("all", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			if i%2 == 0 {
				go func() {
					t.Log("even", i)
				}()
			} else {
				switch i {
				case 1:
					go fmt.Println("one")
				}
			}
		}
		time.Sleep(10 * time.Millisecond)
	})
}
