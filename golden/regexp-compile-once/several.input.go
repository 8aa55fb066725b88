package route

import (
	re "regexp"
)

var reMatch = 1

func Match(path string) (string, bool) {
	static := re.MustCompile(`^/static/(.+)$`)
	api := re.MustCompile(`^/api/v(\d+)/`)
	if m := static.FindStringSubmatch(path); m != nil {
		return m[1], true
	}
	for _, prefix := range []string{"a", "b"} {
		if re.MustCompile("^/" + prefix).MatchString(path) {
			return prefix, true
		}
		if re.MustCompile(`^/x`).MatchString(path) {
			return "x", true
		}
	}
	return "", api.MatchString(path)
}

func handler() func(string) bool {
	return func(s string) bool {
		return re.MustCompile(`^h`).MatchString(s)
	}
}
