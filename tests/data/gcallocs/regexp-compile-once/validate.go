// Package validate checks strings against fixed regular expressions.
package validate

import "regexp"

// IsDate reports whether s is an ISO date (YYYY-MM-DD).
func IsDate(s string) bool {
	re := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	return re.MatchString(s)
}

// Words returns the lower-case words of s.
func Words(s string) []string {
	return regexp.MustCompile(`[a-z]+`).FindAllString(s, -1)
}
