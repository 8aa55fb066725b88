package collide

import "regexp"

var reLines2 = regexp.MustCompile(`\r?\n`)

// Lines splits text into lines.
func Lines(text string) []string {
	return reLines2.Split(text, -1)
}

var isDigitsRe2 = regexp.MustCompile(`^[0-9]+$`)

func isDigits(s string) bool {
	isDigitsRe := 1
	_ = isDigitsRe
	return isDigitsRe2.MatchString(s)
}
