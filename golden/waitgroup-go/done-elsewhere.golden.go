package work

import "sync"

func early(ok bool, wg *sync.WaitGroup) {
	wg.Add(1)
	go func() {
		if !ok {
			wg.Done()
			return
		}
		work()
		wg.Done()
	}()
}

func passed(wg *sync.WaitGroup) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		onExit(wg.Done)
	}()
}

func work()         {}
func onExit(func()) {}
