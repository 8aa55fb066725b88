package workers

import (
	"fmt"
	"time"
)

type server struct{ addr string }

func (s *server) ListenAndServe() error { return nil }

func spin(n *int) {
	for {
		*n++
	}
}

// These goroutines run until something stops them: the sleep lets them run,
// it does not wait for them, and wg.Wait() would block forever.
func Forever(stop *bool) {
	go func() {
		for !*stop {
			fmt.Println("tick")
		}
	}()
	time.Sleep(time.Second)
	*stop = true
}

func Server(s *server) {
	go s.ListenAndServe()
	time.Sleep(100 * time.Millisecond)
}

func Spinner(n *int) {
	go spin(n)
	time.Sleep(time.Millisecond)
}
