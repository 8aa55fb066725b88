package old

func each(xs []string, f func(func())) {
	for _, x := range xs {
		x := x
		f(func() { println(x) })
	}
}
