package shapes

import (
	"fmt"
	"time"
)

type Shape struct{ Name string }

func (s Shape) Label() string { return s.Name }

// None of these operands is visibly a string, or the format is not a lone
// %s or %v: each call stays.
func Describe(s Shape, b []byte, err error, d time.Duration, names []string, st fmt.Stringer) []string {
	alias := names[0]
	return []string{
		fmt.Sprintf("%s", b),
		fmt.Sprintf("%s", err),
		fmt.Sprintf("%v", d),
		fmt.Sprintf("%s", st),
		fmt.Sprintf("%s", s.Name),
		fmt.Sprintf("%s", s.Label()),
		fmt.Sprintf("%s", alias),
		fmt.Sprintf("%q", "quoted"),
		fmt.Sprintf("%10s", "padded"),
		fmt.Sprintf("%-4v", "left"),
		fmt.Sprintf("%s!", "text"),
		fmt.Sprintf("%s%s", "a", "b"),
	}
}
