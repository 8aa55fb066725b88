package validate

import (
	"regexp"
	"strings"
)

// isDate reports whether s looks like an ISO date.
func isDate(s string) bool {
	re := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	return re.MatchString(s)
}

// Words splits s into lower-case words.
func Words(s string) []string {
	return regexp.MustCompile("[a-z]+").FindAllString(strings.ToLower(s), -1)
}

type Parser struct{ strict bool }

// Fields returns the key=value pairs of line.
func (p *Parser) Fields(line string) map[string]string {
	var pair = regexp.MustCompile(`(\w+)=("[^"]*"|\S+)`)
	out := map[string]string{}
	for _, m := range pair.FindAllStringSubmatch(line, -1) {
		out[m[1]] = strings.Trim(m[2], `"`)
	}
	return out
}

func normalize(s string) string {
	spaces := regexp.MustCompile(`\s+`) // runs of blanks
	s = spaces.ReplaceAllString(s, " ")
	return strings.TrimSpace(s)
}

func posixLongest(s string) string {
	return regexp.MustCompilePOSIX("a|ab").FindString(s)
}
