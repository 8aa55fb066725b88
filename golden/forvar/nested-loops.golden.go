package grid

func cells(rows [][]int, visit func(func())) {
	for r, row := range rows {
		for c := range row {
			r := r // r is not a variable of this loop: kept
			visit(func() { println(r, c, row[c]) })
		}
	}
}

func over(n int, visit func(func())) {
	for i := range n {
		visit(func() { println(i) })
	}
}
