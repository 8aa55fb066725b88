package misses

func near(xs []int, n int, f func(func())) {
	// Assigned, not declared, by the loop: the copy is a new variable.
	var x int
	for _, x = range xs {
		x := x
		f(func() { println(x) })
	}
	// Not the first statement of the body.
	for _, v := range xs {
		w := v * 2
		v := v
		f(func() { println(v, w) })
	}
	// Not directly in the loop body.
	for _, v := range xs {
		if v > 0 {
			v := v
			f(func() { println(v) })
		}
	}
	// Not a loop variable, or not a plain copy.
	for _, v := range xs {
		n := n
		f(func() { println(v, n) })
	}
	for i, v := range xs {
		v, n := v, i
		f(func() { println(v, n) })
	}
	for _, v := range xs {
		v := v + 1
		f(func() { println(v) })
	}
}
