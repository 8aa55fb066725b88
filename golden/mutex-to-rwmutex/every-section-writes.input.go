package queue

import "sync"

type queue struct {
	mu      sync.Mutex
	items   []string
	seen    map[string]int
	pending int
	notify  chan string
	log     *logger
}

func (q *queue) push(s string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, s)
}

func (q *queue) mark(s string) {
	q.mu.Lock()
	q.seen[s]++
	q.mu.Unlock()
}

func (q *queue) drop(s string) {
	q.mu.Lock()
	delete(q.seen, s)
	q.mu.Unlock()
}

func (q *queue) announce(s string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.notify <- s
}

// A call through a guarded field may write.
func (q *queue) record(s string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.log.Append(s)
}

// So may a method of the receiver.
func (q *queue) peek() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.firstLocked()
}

// A pointer into guarded data is written through.
func (q *queue) reset() {
	q.mu.Lock()
	p := &q.pending
	*p = 0
	q.mu.Unlock()
}
