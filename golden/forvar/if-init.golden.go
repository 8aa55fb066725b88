package main

func use(int) {}

func ok() bool { return true }

func soleIf(xs []int) {
	for _, v := range xs {
		if ok() {
			use(v)
		}
	}
	for k, v := range xs {
		if k > 0 {
			use(v)
		}
	}
}

// The if is not the only statement of the body: the copy stays (go fix keeps it too).
func notAlone(xs []int) {
	for _, v := range xs {
		use(v)
		if v := v; ok() {
			use(v)
		}
	}
}

// Not a loop variable, or a three-clause loop whose body changes it.
func notLoopVars(xs []int, w int) {
	for range xs {
		if w := w; ok() {
			use(w)
		}
	}
	for i := 0; i < len(xs); i++ {
		if i := i; ok() {
			use(i)
		}
		i++
	}
}

func switchInit(xs []int) {
	for _, v := range xs {
		switch v := v; v {
		case 1:
			use(v)
		}
	}
}
