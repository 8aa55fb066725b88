package flags

import (
	"fmt"
	"strings"
)

type Level int

type Name struct {
	ID   int
	Text string
}

// MarshalText implements encoding.TextMarshaler.
func (l Level) MarshalText() ([]byte, error) {
	return []byte(fmt.Sprintf("level-%d", int(l))), nil
}

func (n Name) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf(`"%d:%q"`, n.ID, strings.ToUpper(n.Text))), nil
}

func header(key string, values []string) []byte {
	// One line per header, as the wire format wants it.
	return []byte(fmt.Sprintf("%s: %s\r\n",
		key, // the canonical key
		strings.Join(values, ", ")))
}

func lines(xs []int) [][]byte {
	var out [][]byte
	for _, x := range xs {
		out = append(out, []byte(fmt.Sprintln("x", x)))
		out = append(out, []byte(fmt.Sprint("item ", x)))
	}
	return out
}
