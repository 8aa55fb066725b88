package shared

import "sync"

type Table struct {
	Mu   sync.Mutex // other packages may lock it too
	rows []string
}

func (t *Table) Rows() int {
	t.Mu.Lock()
	defer t.Mu.Unlock()
	return len(t.rows)
}
