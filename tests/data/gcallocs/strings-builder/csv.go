// Package csv renders rows of fields as comma-separated lines.
package csv

import "strconv"

// Line joins the fields with commas, quoting those that hold one.
func Line(fields []string) string {
	line := ""
	for i, f := range fields {
		if i > 0 {
			line += ","
		}
		if needsQuotes(f) {
			line += strconv.Quote(f)
		} else {
			line += f
		}
	}
	return line
}

func needsQuotes(field string) bool {
	for _, r := range field {
		if r == ',' || r == '"' {
			return true
		}
	}
	return false
}
