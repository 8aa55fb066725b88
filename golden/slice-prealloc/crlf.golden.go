package p

func IDs(xs []int) []int {
	out := make([]int, 0, len(xs)) // the ids

	// one per element
	for _, x := range xs {
		out = append(out, x)
	}
	return out
}
