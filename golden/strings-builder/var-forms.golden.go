package paths

import (
	"fmt"
	"os"
	"strings"
)

type Object interface{ Name() string }

// pathString returns a string of the form a->b-> ... ->g for a path [a, b, ... g].
func pathString(path []Object) string {
	var s strings.Builder
	for i, p := range path {
		if i > 0 {
			s.WriteString("->")
		}
		s.WriteString(p.Name())
	}
	return s.String()
}

func report(names []string) {
	var msg strings.Builder
	msg.WriteString("missing:")
	for _, n := range names {
		msg.WriteString(" " + n)
	}
	fmt.Fprintln(os.Stderr, msg.String(), len(msg.String()))
}

func joined(parts [][]byte) (n int, out string) {
	var all strings.Builder
	for _, p := range parts {
		all.WriteString(string(p))
	}
	return len(all.String()), all.String()
}
