package invalid

import "regexp"

func unbalanced(s string) bool {
	return regexp.MustCompile(`(`).MatchString(s)
}

func anyByte(s string) bool {
	return regexp.MustCompile(`a\C`).MatchString(s)
}

func named(s string) bool {
	return regexp.MustCompile(`(?<year>\d{4})`).MatchString(s)
}

func posixPerlClass(s string) bool {
	return regexp.MustCompilePOSIX(`\d+`).MatchString(s)
}

func stacked(s string) bool {
	return regexp.MustCompile("a**").MatchString(s)
}
