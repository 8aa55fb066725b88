package report

import (
	"fmt"
	"strconv"
	"strings"
)

// Row renders one line of the report.
func Row(name string, count int, size int64, ok bool) string {
	cols := []string{
		name,
		// items
		strconv.Itoa(count),
		// bytes
		strconv.FormatInt(size, 10),
		// healthy
		strconv.FormatBool(ok),
		strconv.Itoa(len(name)),
	}
	return strings.Join(cols, "\t")
}

func Header(cols []string) string {
	n := len(cols)
	wide := n > 8
	return "cols=" + strconv.Itoa(n) + " wide=" + strconv.FormatBool(wide)
}

func Pages(total int) []string {
	var out []string
	for i := 0; i < total; i++ {
		out = append(out, fmt.Sprintf("%d", i+1), strconv.Itoa(i))
	}
	return out
}
