package shadow

// Only count declares a local any; the other functions see the predeclared one.
func count(xs []interface{}) int {
	n := 0
	for _, x := range xs {
		var copied interface{} = x // before the local any: still predeclared
		any := copied != nil
		var kept interface{} = any // the local any is in scope here
		if kept != nil {
			n++
		}
	}
	return n
}

func first(xs []interface{}) interface{} {
	if len(xs) == 0 {
		return nil
	}
	return xs[0]
}

func nested() func(interface{}) {
	return func(v interface{}) {
		_ = map[interface{}]struct{}{v: {}}
	}
}
