package store

import (
	"errors"
	"sync"
)

var errNotFound = errors.New("not found")

// An etcd-style store: the error path returns before the unlock.
type Store struct {
	mu   sync.RWMutex
	data map[string][]byte
	rev  int64
}

func (s *Store) Get(key string) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[key]
	if !ok {
		return nil, errNotFound
	}
	return v, nil
}

func (s *Store) Put(key string, v []byte) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v == nil {
		return 0, errors.New("nil value")
	}
	s.data[key] = v
	s.rev++
	rev := s.rev
	return rev, nil
}
