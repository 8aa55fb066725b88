package crlf

func each(xs []string, f func(func())) {
	for _, x := range xs {
		f(func() { println(x) })
	}
}
