package worker

import "context"

func Run(ctx context.Context, jobs <-chan func()) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case job := <-jobs:
				job()
			}
		}
	}()
}
