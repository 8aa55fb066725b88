package lease

func (l *Lessor) expire(id int64) {
	l.mu.Lock()
	delete(l.leases, id)
	l.mu.Unlock()
}
