package p

import "regexp"

// IsDate checks a date.
func IsDate(s string) bool {
	return regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(s)
}
