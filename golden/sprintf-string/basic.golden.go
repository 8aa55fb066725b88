package greet

import (
	"errors"
)

const defaultName = "world"

func title() string { return "Dr." }

// Greeting builds the greeting for name.
func Greeting(name string, formal bool) (string, error) {
	if name == "" {
		return defaultName, nil
	}
	if formal {
		prefix := "Dear"
		return prefix + " " + title() + " " + name, nil
	}
	if len(name) > 64 {
		return "", errors.New("name too long")
	}
	return name, nil
}

func Raw(b []byte) string {
	s := string(b)
	return s + string(b[:1])
}
