package ids

import "fmt"

const base = 1000

var verbose = false

func next() int { return base + 1 }

func Key(shard int) string {
	return "shard-" + fmt.Sprintf("%d", shard)
}

func Flags() []string {
	return []string{fmt.Sprintf("%v", verbose), fmt.Sprintf("%d", next()), fmt.Sprintf("%d", base), fmt.Sprintf("%t", 1 < 2)}
}
