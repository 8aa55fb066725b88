package greet

import (
	"errors"
	"fmt"
)

const defaultName = "world"

func title() string { return "Dr." }

// Greeting builds the greeting for name.
func Greeting(name string, formal bool) (string, error) {
	// A constant or a literal stays: Sprintf makes a string the compiler
	// cannot fold.
	if name == "" {
		return fmt.Sprintf("%s", defaultName), nil
	}
	if formal {
		prefix := "Dear"
		return prefix + " " + title() + " " + name, nil
	}
	if len(name) > 64 {
		return "", errors.New(fmt.Sprintf("%s", "name too long"))
	}
	return name, nil
}

func Raw(b []byte) string {
	s := string(b)
	return s + string(b[:1])
}
