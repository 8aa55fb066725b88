// Package queue is an outbound queue whose Send drops messages once the
// queue is full, but returns before the unlock (the shape of gRPC and
// Docker lock leaks on a rarely taken path).
package queue

import "sync"

type Queue struct {
	mu    sync.Mutex
	limit int
	items []string
}

func New(limit int) *Queue { return &Queue{limit: limit} }

// Send queues msg; a full queue drops it.
func (q *Queue) Send(msg string) {
	q.mu.Lock()
	if len(q.items) >= q.limit {
		// dropped
		return
	}
	q.items = append(q.items, msg)
	q.mu.Unlock()
}

// Drain takes every queued message.
func (q *Queue) Drain() []string {
	q.mu.Lock()
	items := q.items
	q.items = nil
	q.mu.Unlock()
	return items
}
