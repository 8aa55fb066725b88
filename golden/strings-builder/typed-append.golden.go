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
	var str strings.Builder
	str.WriteString(s.Name + " = struct { ")
	for _, f := range s.Field {
		str.WriteString(fmt.Sprintf("%s %d; ", f.Name, f.Id))
	}
	str.WriteString("}")
	return str.String()
}

func upper(words []string) string {
	switch len(words) {
	case 0:
		return ""
	default:
		var out strings.Builder
		out.WriteString(words[0])
		for _, w := range words[1:] {
			out.WriteString(" " + strings.ToUpper(w))
			out.WriteString(fmt.Sprint(len(w)))
		}
		return out.String()
	}
}
