package store

import "fmt"

// Store keeps arbitrary values.
type Store struct {
	values map[string]interface{}
	log    []interface{} // every value ever set
	hooks  []func(key string, value interface{}) error
	events chan interface{}
}

// Set records a value.
func (s *Store) Set(key string, value interface{}) {
	s.values[key] = value
	s.log = append(s.log, interface{}(value))
}

// Get returns a value, or nil.
func (s *Store) Get(key string) interface{} {
	switch v := s.values[key].(type) {
	case interface{ String() string }:
		return v.String()
	case interface{}:
		return v
	}
	return nil
}

// Keys works on any map.
func Keys[K comparable, V interface{}](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func describe(args ...interface{}) string { return fmt.Sprint(args...) }
