package dots

import . "fmt"

// A dot import of fmt is left alone: the call names no package.
func tag(n int) []byte {
	return []byte(Sprintf("tag-%d", n))
}
