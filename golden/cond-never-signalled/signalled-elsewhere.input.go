package buffer

import "sync"

type Buffer struct {
	mu       sync.Mutex
	nonEmpty sync.Cond
	data     []byte
}

func (b *Buffer) Read() byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.data) == 0 {
		b.nonEmpty.Wait()
	}
	c := b.data[0]
	b.data = b.data[1:]
	return c
}
