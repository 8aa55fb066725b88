package p

import "regexp"

var reIsDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// IsDate checks a date.
func IsDate(s string) bool {
	return reIsDate.MatchString(s)
}
