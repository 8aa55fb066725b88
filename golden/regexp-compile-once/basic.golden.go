package validate

import (
	"regexp"
	"strings"
)

var isDateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// isDate reports whether s looks like an ISO date.
func isDate(s string) bool {
	re := isDateRe
	return re.MatchString(s)
}

var reWords = regexp.MustCompile("[a-z]+")

// Words splits s into lower-case words.
func Words(s string) []string {
	return reWords.FindAllString(strings.ToLower(s), -1)
}

type Parser struct{ strict bool }

var reFields = regexp.MustCompile(`(\w+)=("[^"]*"|\S+)`)

// Fields returns the key=value pairs of line.
func (p *Parser) Fields(line string) map[string]string {
	var pair = reFields
	out := map[string]string{}
	for _, m := range pair.FindAllStringSubmatch(line, -1) {
		out[m[1]] = strings.Trim(m[2], `"`)
	}
	return out
}

var normalizeRe = regexp.MustCompile(`\s+`)

func normalize(s string) string {
	spaces := normalizeRe // runs of blanks
	s = spaces.ReplaceAllString(s, " ")
	return strings.TrimSpace(s)
}

var posixLongestRe = regexp.MustCompilePOSIX("a|ab")

func posixLongest(s string) string {
	return posixLongestRe.FindString(s)
}
