package stats

import "fmt"

type Port int

func (p Port) String() string { return "port " + fmt.Sprint(int(p)) }

type Counter struct{ hits int }

func (c *Counter) Value() int { return c.hits }

// Each operand's type is not visible here as exactly int, int64 or bool,
// or the format is not a single plain verb.
func Describe(p Port, c *Counter, small int32, big uint64, m map[string]int, xs []int, total float64) []string {
	var out []string
	for i := range xs {
		out = append(out, fmt.Sprintf("%d", i))
	}
	n := xs[0]
	return append(out,
		fmt.Sprintf("%d", p),         // Port has a String method
		fmt.Sprintf("%d", c.hits),    // a field
		fmt.Sprintf("%d", c.Value()), // a method
		fmt.Sprintf("%d", small),
		fmt.Sprintf("%d", big),
		fmt.Sprintf("%d", m["a"]),
		fmt.Sprintf("%d", n),
		fmt.Sprintf("%v", total),
		fmt.Sprintf("%5d", len(xs)),
		fmt.Sprintf("%x", len(xs)),
		fmt.Sprintf("%d items", len(xs)),
		fmt.Sprintf("%v", len(xs) > 2 && n > 0),
	)
}
