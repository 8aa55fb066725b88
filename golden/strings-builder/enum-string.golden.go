package dwarf

import (
	"strconv"
	"strings"
)

// An EnumValue is a single value of an enumerated type.
type EnumValue struct {
	Name string
	Val  int64
}

// An EnumType represents an enumerated type.
type EnumType struct {
	EnumName string
	Val      []*EnumValue
}

func (t *EnumType) String() string {
	var s strings.Builder
	s.WriteString("enum")
	if t.EnumName != "" {
		s.WriteString(" " + t.EnumName)
	}
	s.WriteString(" {")
	for i, v := range t.Val {
		if i > 0 {
			s.WriteString("; ")
		}
		// name=value
		s.WriteString(v.Name + "=" + strconv.FormatInt(v.Val, 10))
	}
	s.WriteString("}")
	return s.String()
}
