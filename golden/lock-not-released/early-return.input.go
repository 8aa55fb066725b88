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
	v, ok := s.data[key]
	if !ok {
		return nil, errNotFound
	}
	s.mu.RUnlock()
	return v, nil
}

func (s *Store) Put(key string, v []byte) (int64, error) {
	s.mu.Lock()
	if v == nil {
		return 0, errors.New("nil value")
	}
	s.data[key] = v
	s.rev++
	rev := s.rev
	s.mu.Unlock() // publish
	return rev, nil
}
