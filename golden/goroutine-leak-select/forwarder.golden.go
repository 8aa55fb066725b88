package relay

// Forward copies values until... never: nothing stops the goroutine.
func Forward(in <-chan int, out chan<- int) {
	go func() {
		for {
			select {
			case v := <-in:
				out <- v
			}
		}
	}()
}
