package near

import "regexp"

// The pattern comes from a variable or is built at run time.
func fromVariable(pattern, s string) bool {
	return regexp.MustCompile(pattern).MatchString(s)
}

func built(word, s string) bool {
	return regexp.MustCompile(`\b` + regexp.QuoteMeta(word) + `\b`).MatchString(s)
}

// Compile returns an error rather than panicking.
func compiled(s string) bool {
	re, err := regexp.Compile(`^a+$`)
	return err == nil && re.MatchString(s)
}

// Not the regexp package.
type fake struct{}

func (fake) MustCompile(s string) fake { return fake{} }
func (fake) MatchString(s string) bool { return true }

func notRegexp(s string) bool {
	regexp := fake{}
	return regexp.MustCompile(`x`).MatchString(s)
}
