package files

import (
	"io"
	"os"
	"sync"
)

// The usual fix: a function literal called in the loop body.
func ReadAll(names []string) ([][]byte, error) {
	var out [][]byte
	for _, name := range names {
		data, err := func() ([]byte, error) {
			f, err := os.Open(name)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return io.ReadAll(f)
		}()
		if err != nil {
			return nil, err
		}
		out = append(out, data)
	}
	return out, nil
}

// A named helper.
func CountAll(names []string) int {
	n := 0
	for _, name := range names {
		n += count(name)
	}
	return n
}

func count(name string) int {
	f, err := os.Open(name)
	if err != nil {
		return 0
	}
	defer f.Close()
	return 1
}

// The iteration that defers leaves the loop.
func First(names []string) (*os.File, []byte) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		data, _ := io.ReadAll(f)
		return f, data
	}
	return nil, nil
}

func Wait(ch chan int) {
	for {
		if v := <-ch; v > 0 {
			defer println("done", v)
			break
		}
	}
}

// A defer outside any loop.
func Once(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return nil
}

// The return that ends the iteration sits in the block around the defer.
func Release(states []int, mu sync.Locker) {
	for _, x := range states {
		if x > 0 {
			if x == 1 {
				mu.Lock()
				defer mu.Unlock()
			}
			return
		}
	}
}
