package counter

type cursor struct {
	pos   int
	inner struct{ n int }
}

func (c *cursor) advance()    { c.pos++ }
func (c *cursor) bumpInner()  { c.inner.n++ }
func (c cursor) current() int { return c.pos }

type pair [2]int

// Each body changes its copy in a way that would change the loop variable
// without the copy: the copies stay.
func aliases(n int) {
	for c := (cursor{}); c.pos < n; c.pos++ {
		c := c
		p := &c.pos
		*p += 10
	}
	for a := (pair{}); a[0] < n; a[0]++ {
		a := a
		s := a[:]
		s[0] += 5
	}
	for c := (cursor{}); c.pos < n; c.pos++ {
		c := c
		c.pos = 7
	}
	for c := (cursor{}); c.pos < n; c.pos++ {
		c := c
		c.inner.n++
	}
	for a := (pair{}); a[0] < n; a[0]++ {
		a := a
		a[1], a[0] = 1, 2
	}
	for c := (cursor{}); c.pos < n; c.pos++ {
		c := c
		f := c.advance
		f()
	}
	for c := (cursor{}); c.pos < n; c.pos++ {
		c := c
		c.bumpInner()
	}
	for i := 0; i < n; i++ {
		i := i
		func() {
			i--
		}()
	}
	for i := 0; i < n; i++ {
		i := i
		for i = range 3 {
		}
	}
	ch := make(chan int, 1)
	for i := 0; i < n; i++ {
		i := i
		ch <- 1
		select {
		case i = <-ch:
		}
	}
}

// Plain reads and index reads keep the copy redundant.
func reads(n int, xs []int) []func() int {
	var fs []func() int
	for i := 0; i < n; i++ {
		fs = append(fs, func() int { return xs[i] + i })
	}
	return fs
}
