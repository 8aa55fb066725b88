//go:build go1.21

package old

// This file is compiled with Go 1.21 semantics: the copy still matters.
func each(xs []string, f func(func())) {
	for _, x := range xs {
		x := x
		f(func() { println(x) })
	}
}
