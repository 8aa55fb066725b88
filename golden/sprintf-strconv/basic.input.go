package report

import (
	"fmt"
	"strings"
)

// Row renders one line of the report.
func Row(name string, count int, size int64, ok bool) string {
	cols := []string{
		name,
		// items
		fmt.Sprintf("%d", count),
		// bytes
		fmt.Sprintf("%v", size),
		// healthy
		fmt.Sprintf("%t", ok),
		fmt.Sprintf("%d", len(name)),
	}
	return strings.Join(cols, "\t")
}

func Header(cols []string) string {
	n := len(cols)
	wide := n > 8
	return "cols=" + fmt.Sprintf("%d", n) + " wide=" + fmt.Sprintf("%v", wide)
}

func Pages(total int) []string {
	var out []string
	for i := 0; i < total; i++ {
		out = append(out, fmt.Sprintf("%d", i+1), fmt.Sprintf("%d", i))
	}
	return out
}
