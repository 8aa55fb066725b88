package loops

// A loop in a named function: its goroutine (go forward(...)) is not followed.
func forward(in <-chan int, out chan<- int) {
	for {
		select {
		case v := <-in:
			out <- v
		}
	}
}

func Start(in <-chan int, out chan<- int) {
	go forward(in, out)
	// A loop with a condition or a range clause ends.
	go func() {
		for v := range in {
			select {
			case out <- v:
			}
		}
	}()
}
