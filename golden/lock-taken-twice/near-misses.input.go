package store

import "sync"

type Store struct {
	mu    sync.RWMutex
	other sync.Mutex
	data  map[string]int
}

func (s *Store) get(k string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data[k]
}

// getLocked expects s.mu held: the split that avoids the deadlock.
func (s *Store) getLocked(k string) int {
	return s.data[k]
}

func (s *Store) Inc(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[k] = s.getLocked(k) + 1
}

// Unlocked before the call.
func (s *Store) Copy(from, to string) {
	s.mu.Lock()
	v := s.data[from]
	s.mu.Unlock()
	s.set(to, v)
}

func (s *Store) set(k string, v int) {
	s.mu.Lock()
	s.data[k] = v
	s.mu.Unlock()
}

// A read lock held while calling a reader: recursive read locking, which waits
// behind a writer queued in between (reported).
func (s *Store) Sum(ks []string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, k := range ks {
		n += s.get(k)
	}
	return n
}

// Another mutex is held: no deadlock.
func (s *Store) Guarded(k string, v int) {
	s.other.Lock()
	defer s.other.Unlock()
	s.set(k, v)
}

// A goroutine started under the lock waits for it, it does not deadlock here.
func (s *Store) Async(k string) {
	s.mu.Lock()
	go s.set(k, 1)
	s.mu.Unlock()
}

// upgrade is documented to be called with s.mu read-held: it releases it first.
func (s *Store) upgrade(k string) {
	s.mu.RUnlock()
	s.mu.Lock()
	s.data[k]++
	s.mu.Unlock()
	s.mu.RLock()
}

func (s *Store) Bump(k string) {
	s.mu.RLock()
	s.upgrade(k)
	s.mu.RUnlock()
}
