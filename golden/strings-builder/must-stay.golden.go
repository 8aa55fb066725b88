package keep

import "strings"

type Label string

// The string is read inside the loop that appends to it.
func readInLoop(xs []string) string {
	s := ""
	for _, x := range xs {
		s += x
		if len(s) > 80 {
			break
		}
	}
	return s
}

// Its address is taken.
func addressed(xs []string, sink func(*string)) {
	var s string
	for _, x := range xs {
		s += x
	}
	sink(&s)
}

// It is assigned, not only appended to.
func reset(lines []string) string {
	out := ""
	for _, l := range lines {
		if l == "" {
			out = ""
			continue
		}
		out += l
	}
	return out
}

// No loop appends: two += do not make it quadratic.
func pair(a, b string) string {
	s := "<"
	s += a
	s += b
	return s
}

// Appended to but never read.
func discard(xs []string) {
	s := ""
	for _, x := range xs {
		s += x
	}
}

// A closure appends after the read may run.
func closure(xs []string) (string, func(string)) {
	s := ""
	for _, x := range xs {
		s += x
	}
	return s, func(more string) { s += more }
}

// The initial value's type is not visible: Label has its own type.
func labels(ls []Label) Label {
	l := ls[0]
	for _, x := range ls[1:] {
		l += x
	}
	return l
}

// A parameter, not a local declared here.
func suffix(s string, xs []string) string {
	for _, x := range xs {
		s += x
	}
	return s
}

// The declaration is inside the loop: each iteration starts afresh.
func perLine(rows [][]string) []string {
	var out []string
	for _, row := range rows {
		line := ""
		line += strings.Join(row, ",")
		out = append(out, line)
	}
	return out
}

// Declared in the init of an if.
func initStmt(xs []string) string {
	if s := ""; len(xs) > 0 {
		for _, x := range xs {
			s += x
		}
		return s
	}
	return ""
}

type entry struct{ s, v string }

// A literal key named like the variable: a struct field or a map key read
// from it cannot be told apart without types.
func keyed(xs []string) entry {
	s := ""
	for _, x := range xs {
		s += "," + x
	}
	return entry{s: s, v: "x"}
}
