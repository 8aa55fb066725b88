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
		return fmt.Sprintf("%s", prefix) + " " + fmt.Sprintf("%v", title()) + " " + name, nil
	}
	if len(name) > 64 {
		return "", errors.New(fmt.Sprintf("%s", "name too long"))
	}
	return fmt.Sprintf("%s", name), nil
}

func Raw(b []byte) string {
	s := string(b)
	return fmt.Sprintf("%s", s) + fmt.Sprintf("%s", string(b[:1]))
}
