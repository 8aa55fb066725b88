package collide

import "regexp"

// Lines splits text into lines.
func Lines(text string) []string {
	return regexp.MustCompile(`\r?\n`).Split(text, -1)
}

func isDigits(s string) bool {
	isDigitsRe := 1
	_ = isDigitsRe
	return regexp.MustCompile(`^[0-9]+$`).MatchString(s)
}
