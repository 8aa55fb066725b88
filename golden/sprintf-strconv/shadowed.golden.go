package shadow

import "fmt"

type int = uint8

// `int` is redeclared in this package: a literal is not the int strconv.Itoa takes.
func Show(n int) string {
	return fmt.Sprintf("%d", n) + fmt.Sprintf("%d", 3)
}
