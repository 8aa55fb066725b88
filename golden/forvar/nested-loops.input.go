package grid

func cells(rows [][]int, visit func(func())) {
	for r, row := range rows {
		r := r
		for c := range row {
			c := c
			r := r // r is not a variable of this loop: kept
			visit(func() { println(r, c, row[c]) })
		}
	}
}

func over(n int, visit func(func())) {
	for i := range n {
		i := i
		visit(func() { println(i) })
	}
}
