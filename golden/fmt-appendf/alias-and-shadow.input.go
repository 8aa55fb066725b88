package wire

import (
	f "fmt"
)

type printer struct{}

func (printer) Sprintf(format string, args ...any) string { return format }

func encode(n int) []byte {
	return []byte(f.Sprintf("n=%d", n))
}

func local(n int) []byte {
	fmt := printer{}
	// fmt is a local value here, not the package.
	return []byte(fmt.Sprintf("n=%d", n))
}
