// Package names renders user names.
package names

import (
	"fmt"
)

// Greeting is the greeting line for a user.
func Greeting(name string) string {
	if name == "" {
		return "hello, anonymous"
	}
	return "hello, " + fmt.Sprintf("%s", name)
}
