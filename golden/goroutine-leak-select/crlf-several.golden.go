package pump

import "time"

func Start(jobs chan func(), results chan error, tick *time.Ticker) {
	go func() {
		for {
			select {
			case job := <-jobs:
				job()
			}
		}
	}()
	go func() {
		for {
			select {
			case err := <-results:
				println(err)
			case results <- nil:
			}
		}
	}()
	go func() {
		for {
			select {
			case job := <-jobs:
				job()
			case <-tick.C:
			}
		}
	}()
}
