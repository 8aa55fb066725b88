package other

type Set map[string]bool

// A three-clause loop: its count is not a len.
func evens(n int) []int {
	out := []int{}
	for i := 0; i < n; i += 2 {
		out = append(out, i)
	}
	return out
}

// A named type: without types it might be a channel or a function.
func keys(s Set) []string {
	out := []string{}
	for k := range s {
		out = append(out, k)
	}
	return out
}

// The range reuses variables declared outside it, and the slice already has a capacity.
func copyAll(xs []int) []int {
	var x int
	out := make([]int, 0, 8)
	for _, x = range xs {
		out = append(out, x)
	}
	_ = x
	return out
}

// Two slices declared together.
func pairs(xs []int) ([]int, []int) {
	var a, b []int
	for _, x := range xs {
		a = append(a, x)
	}
	return a, b
}

// At package level: not in a function.
var table []string
