// Package names renders user names.
package names

import (
	"fmt"
)

// Greeting is the greeting line for a user.
func Greeting(name string) string {
	if name == "" {
		return fmt.Sprintf("%s", "hello, anonymous")
	}
	return "hello, " + fmt.Sprintf("%s", name)
}
