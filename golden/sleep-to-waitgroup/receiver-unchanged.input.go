package workers

import (
	"fmt"
	"time"
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
	go t.show()
	go b.inner.show()
	time.Sleep(time.Second)
	fmt.Println(t.n, b.inner.n)
}
