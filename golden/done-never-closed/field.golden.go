package worker

import "time"

// A Docker-style leak: Stop was never written, the loop never ends.
type Worker struct {
	stopCh chan struct{}
	tick   time.Duration
}

func NewWorker() *Worker {
	return &Worker{stopCh: make(chan struct{}), tick: time.Second}
}

func (w *Worker) Start(job func()) {
	go func() {
		for {
			job()
			<-w.stopCh
		}
	}()
}
