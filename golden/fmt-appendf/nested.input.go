package cache

import (
	"crypto/sha1"
	"fmt"
	"io"
)

func keys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("%x", sha1.Sum([]byte(fmt.Sprintf("k%d", i))))
	}
	return keys
}

func write(w io.Writer, name string, size int64) error {
	if _, err := w.Write([]byte(fmt.Sprintf("%s\t%d\n", name, size))); err != nil {
		return err
	}
	_, err := w.Write([]byte(fmt.Sprintln()))
	return err
}

var banner = []byte(fmt.Sprintf("cache v%d.%d", 1, 2))
