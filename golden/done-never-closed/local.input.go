package probe

func Watch(events <-chan string, handle func(string)) {
	done := make(chan struct{})
	go func() {
		for e := range events {
			handle(e)
		}
	}()
	<-done
}
