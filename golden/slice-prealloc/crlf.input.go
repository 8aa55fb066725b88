package p

func IDs(xs []int) []int {
	out := []int{} // the ids

	// one per element
	for _, x := range xs {
		out = append(out, x)
	}
	return out
}
