package workers

import (
	"fmt"
	"sync"
)

type counter struct{ n int }

func (c counter) show()  { fmt.Println(c.n) }
func (c *counter) bump() { c.n++ }

type box struct{ inner counter }

// Methods called on receivers nothing changes after the go statement: the
// calls are wrapped. Changes before the go statement do not matter.
func Unchanged() {
	t := counter{n: 1}
	t.bump()
	t.n++
	b := box{inner: t}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); t.show() }()
	wg.Add(1)
	go func() { defer wg.Done(); b.inner.show() }()
	wg.Wait()
	fmt.Println(t.n, b.inner.n)
}
