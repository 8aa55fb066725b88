package gob

import (
	"fmt"
	"strings"
)

type field struct {
	Name string
	Id   int
}

type structType struct {
	Name  string
	Field []field
}

func (s *structType) safeString() string {
	str := s.Name + " = struct { "
	for _, f := range s.Field {
		str += fmt.Sprintf("%s %d; ", f.Name, f.Id)
	}
	str += "}"
	return str
}

func upper(words []string) string {
	switch len(words) {
	case 0:
		return ""
	default:
		out := words[0]
		for _, w := range words[1:] {
			out += " " + strings.ToUpper(w)
			out += fmt.Sprint(len(w))
		}
		return out
	}
}
