package batch

import "time"

// A defer in the loop would keep every timer until Process returns: reported.
func Process(batches [][]int, flush func([]int), limit time.Duration, done <-chan struct{}) {
	for _, b := range batches {
		deadline := time.NewTimer(limit)
		select {
		case <-done:
			return
		case <-deadline.C:
			flush(b)
		}
	}
}
