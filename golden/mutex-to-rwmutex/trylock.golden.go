package job

import "sync"

type job struct {
	mu     sync.Mutex
	status string
}

func (j *job) Status() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.status
}

func (j *job) tryFinish() bool {
	if !j.mu.TryLock() {
		return false
	}
	j.status = "done"
	j.mu.Unlock()
	return true
}
