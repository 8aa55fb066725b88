package workers

import (
	"fmt"
	"time"
)

type counter struct{ n int }

func (c counter) show()  { fmt.Println(c.n) }
func (c *counter) bump() { c.n++ }

type box struct{ inner counter }

func reset(c *counter) { c.n = 0 }

// `go t.show()` copies t (a value receiver) at the go statement; wrapped in a
// literal, t would be read when the goroutine runs, after these changes.
func PointerMethodAfter() {
	t := counter{n: 1}
	go t.show()
	t.bump()
	time.Sleep(time.Second)
}

func FieldWritten() {
	t := counter{n: 1}
	go t.show()
	t.n = 3
	time.Sleep(time.Second)
}

func Reassigned(other counter) {
	t := counter{n: 1}
	go t.show()
	t = other
	time.Sleep(time.Second)
}

func WrittenThroughPointer() {
	t := counter{n: 1}
	go t.show()
	p := &t
	p.n++
	time.Sleep(time.Second)
}

func AddressPassed() {
	t := counter{n: 1}
	go t.show()
	reset(&t)
	time.Sleep(time.Second)
}

func NestedReceiver() {
	b := box{inner: counter{n: 1}}
	go b.inner.show()
	b.inner.bump()
	time.Sleep(time.Second)
}

func MethodInClosure() {
	t := counter{n: 1}
	later := func() { t.bump() }
	go t.show()
	later()
	time.Sleep(time.Second)
}

func WrittenThroughDereference(p *counter) {
	go p.show()
	*p = counter{n: 2}
	time.Sleep(time.Second)
}
