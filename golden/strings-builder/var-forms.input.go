package paths

import (
	"fmt"
	"os"
)

type Object interface{ Name() string }

// pathString returns a string of the form a->b-> ... ->g for a path [a, b, ... g].
func pathString(path []Object) string {
	var s string
	for i, p := range path {
		if i > 0 {
			s += "->"
		}
		s += p.Name()
	}
	return s
}

func report(names []string) {
	var msg = "missing:"
	for _, n := range names {
		msg += " " + n
	}
	fmt.Fprintln(os.Stderr, msg, len(msg))
}

func joined(parts [][]byte) (n int, out string) {
	var all string = ""
	for _, p := range parts {
		all += string(p)
	}
	return len(all), all
}
