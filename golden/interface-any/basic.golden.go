package store

import "fmt"

// Store keeps arbitrary values.
type Store struct {
	values map[string]any
	log    []any // every value ever set
	hooks  []func(key string, value any) error
	events chan any
}

// Set records a value.
func (s *Store) Set(key string, value any) {
	s.values[key] = value
	s.log = append(s.log, any(value))
}

// Get returns a value, or nil.
func (s *Store) Get(key string) any {
	switch v := s.values[key].(type) {
	case interface{ String() string }:
		return v.String()
	case any:
		return v
	}
	return nil
}

// Keys works on any map.
func Keys[K comparable, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func describe(args ...any) string { return fmt.Sprint(args...) }
