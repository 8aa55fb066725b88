package cluster

import "sync"

// A CockroachDB-style self-deadlock: a locked method calls a locking accessor.
type Members struct {
	mu    sync.RWMutex
	nodes map[int]string
}

func (m *Members) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.nodes)
}

func (m *Members) Add(id int, addr string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Len() > 100 {
		return false
	}
	m.nodes[id] = addr
	return true
}

func (m *Members) remove(id int) {
	m.mu.Lock()
	delete(m.nodes, id)
	m.mu.Unlock()
}

// Read lock held, the callee takes the write lock.
func (m *Members) Prune(dead []int) {
	m.mu.RLock()
	for _, id := range dead {
		if _, ok := m.nodes[id]; ok {
			m.remove(id)
		}
	}
	m.mu.RUnlock()
}
