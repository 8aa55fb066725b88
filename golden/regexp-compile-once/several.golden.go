package route

import (
	re "regexp"
)

var reMatch = 1

var reMatch2 = re.MustCompile(`^/static/(.+)$`)

var reMatch3 = re.MustCompile(`^/api/v(\d+)/`)

var reMatch4 = re.MustCompile(`^/x`)

func Match(path string) (string, bool) {
	static := reMatch2
	api := reMatch3
	if m := static.FindStringSubmatch(path); m != nil {
		return m[1], true
	}
	for _, prefix := range []string{"a", "b"} {
		if re.MustCompile("^/" + prefix).MatchString(path) {
			return prefix, true
		}
		if reMatch4.MatchString(path) {
			return "x", true
		}
	}
	return "", api.MatchString(path)
}

var handlerRe = re.MustCompile(`^h`)

func handler() func(string) bool {
	return func(s string) bool {
		return handlerRe.MatchString(s)
	}
}
