package cleanup

import "log"

type supervisor struct{ restarts int }

// Worker restarts itself after a panic: that goroutine must stay a goroutine.
func Worker(jobs []func()) {
	defer func() {
		if r := recover(); r != nil {
			log.Print(r)
			go Worker(jobs)
		}
	}()
	for _, job := range jobs {
		job()
	}
}

func (s *supervisor) loop() {
	defer func() {
		if recover() != nil {
			s.restarts++
			go s.loop()
		}
	}()
}
