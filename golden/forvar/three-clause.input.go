package counter

type cursor struct{ pos int }

func (c *cursor) advance() { c.pos++ }

func closures(n int) []func() int {
	var fs []func() int
	for i := 0; i < n; i++ {
		i := i
		fs = append(fs, func() int { return i * i })
	}
	return fs
}

func pairs(n int) []func() (int, int) {
	var fs []func() (int, int)
	for i, j := 0, n; i < j; i, j = i+1, j-1 {
		j, i := j, i
		fs = append(fs, func() (int, int) { return i, j })
	}
	return fs
}

// The copy is what keeps the counter apart: these stay.
func skipping(n int) {
	for i := 0; i < n; i++ {
		i := i
		i += 2
		println(i)
	}
	for i := 0; i < n; i++ {
		i := i
		bump(&i)
	}
	for c := (cursor{}); c.pos < n; c.advance() {
		c := c
		c.advance()
	}
}

func bump(p *int) { *p++ }
