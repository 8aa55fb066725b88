package ids

import "strconv"

const base = 1000

var verbose = false

func next() int { return base + 1 }

func Key(shard int) string {
	return "shard-" + strconv.Itoa(shard)
}

func Flags() []string {
	return []string{strconv.FormatBool(verbose), strconv.Itoa(next()), strconv.Itoa(base), strconv.FormatBool(1 < 2)}
}
