package grid

import "sync"

type Grid struct {
	rows []*Row
}

type Row struct {
	mu    sync.Mutex
	cells []int
}

func (g *Grid) Clear() {
	for _, row := range g.rows {
		for i := range row.cells {
			row.mu.Lock()
			defer row.mu.Unlock() // held until Clear returns
			row.cells[i] = 0
		}
	}
}

func (g *Grid) Sum() (total int) {
	for _, row := range g.rows {
		switch {
		case len(row.cells) > 0:
			row.mu.Lock()
			defer row.mu.Unlock()
			for _, c := range row.cells {
				total += c
			}
			break
		}
	}
	return total
}
