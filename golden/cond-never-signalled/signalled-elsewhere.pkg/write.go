package buffer

func (b *Buffer) Write(c byte) {
	b.mu.Lock()
	b.data = append(b.data, c)
	b.nonEmpty.Signal()
	b.mu.Unlock()
}
