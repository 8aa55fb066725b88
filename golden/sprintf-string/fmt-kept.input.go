package logline

import "fmt"

type Level string

func (l Level) String() string { return "[" + string(l) + "]" }

// The fmt import stays: other calls still use it.
func Line(level Level, msg string, code int) string {
	return fmt.Sprintf("%s", level) + " " + fmt.Sprintf("%s", msg) + fmt.Sprintf(" (%d)", code)
}
