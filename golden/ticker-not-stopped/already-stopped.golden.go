package monitor

import "time"

func Deferred(done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

func StoppedOnReturn(ready <-chan struct{}) bool {
	timer := time.NewTimer(time.Second)
	select {
	case <-ready:
		if !timer.Stop() {
			<-timer.C
		}
		return true
	case <-timer.C:
		return false
	}
}

func StoppedInClosure(done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer func() {
		t.Stop()
	}()
	<-done
}
