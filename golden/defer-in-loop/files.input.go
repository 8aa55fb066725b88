package files

import (
	"io"
	"os"
	"sync"
)

// ReadAll reads every named file.
func ReadAll(names []string) ([][]byte, error) {
	var out [][]byte
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		out = append(out, data)
	}
	return out, nil
}

type Store struct {
	mu    sync.Mutex
	items map[string]int
}

func (s *Store) AddAll(keys []string) {
	for i := 0; i < len(keys); i++ {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.items[keys[i]]++
	}
}

func Serve(conns chan io.Closer) {
	go func() {
		for c := range conns {
			defer func() {
				c.Close()
			}()
		}
	}()
}

var drain = func(rs []io.ReadCloser) {
	for _, r := range rs {
		if r != nil {
			defer r.Close()
		}
	}
}
