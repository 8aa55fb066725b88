package legacy

import "fmt"

func id(n int) []byte {
	return []byte(fmt.Sprintf("id-%d", n))
}
