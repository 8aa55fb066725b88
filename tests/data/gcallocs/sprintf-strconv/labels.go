// Package labels renders metric labels.
package labels

import "fmt"

// Port is the label value of a port number.
func Port(port int) string {
	return fmt.Sprintf("%d", port)
}

// Offset is the label value of a file offset.
func Offset(offset int64) string {
	return fmt.Sprintf("%d", offset)
}

// Flag is the label value of a boolean option.
func Flag(on bool) string {
	return fmt.Sprintf("%t", on)
}
