// Package store is a map guarded by a read-write mutex whose error paths
// return before the unlock (the shape of etcd and Kubernetes lock leaks).
package store

import (
	"errors"
	"sync"
)

var ErrNotFound = errors.New("not found")

type Store struct {
	mu   sync.RWMutex
	data map[string]int
}

func New() *Store { return &Store{data: map[string]int{}} }

// Get returns the value of key.
func (s *Store) Get(key string) (int, error) {
	s.mu.RLock()
	v, ok := s.data[key]
	if !ok {
		return 0, ErrNotFound
	}
	s.mu.RUnlock()
	return v, nil
}

// Put sets key, refusing negative values.
func (s *Store) Put(key string, v int) error {
	s.mu.Lock()
	if v < 0 {
		return errors.New("negative")
	}
	s.data[key] = v
	s.mu.Unlock()
	return nil
}
