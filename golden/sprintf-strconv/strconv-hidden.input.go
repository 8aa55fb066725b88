package hidden

import "fmt"

// A parameter named strconv hides the package the fix would call.
func Label(strconv string, n int) string {
	return strconv + fmt.Sprintf("%d", n)
}
