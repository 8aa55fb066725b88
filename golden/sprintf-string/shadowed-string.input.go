package conv

import "fmt"

type string = []byte

// `string` is redeclared in this package: string(x) is not a Go string here.
func Show(b []byte) any {
	return fmt.Sprintf("%s", string(b))
}
