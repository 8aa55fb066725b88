package near

import "regexp"

// The Regexp leaves the function: a caller may change it or compare it.
func Pattern() *regexp.Regexp {
	return regexp.MustCompile(`^p$`)
}

type matcher struct{ re *regexp.Regexp }

func newMatcher() *matcher {
	return &matcher{re: regexp.MustCompile(`^m$`)}
}

func passed(s string) []string {
	return split(regexp.MustCompile(`,`), s)
}

func split(re *regexp.Regexp, s string) []string { return re.Split(s, -1) }

// Longest changes the Regexp it is called on.
func longest(s string) string {
	re := regexp.MustCompile(`a|ab`)
	re.Longest()
	return re.FindString(s)
}

// The variable is assigned again.
func reassigned(s string, loose bool) bool {
	re := regexp.MustCompile(`^strict$`)
	if loose {
		re = regexp.MustCompile(`strict`)
	}
	return re.MatchString(s)
}
