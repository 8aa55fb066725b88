package dwarf

import "strconv"

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
	s := "enum"
	if t.EnumName != "" {
		s += " " + t.EnumName
	}
	s += " {"
	for i, v := range t.Val {
		if i > 0 {
			s += "; "
		}
		// name=value
		s += v.Name + "=" + strconv.FormatInt(v.Val, 10)
	}
	s += "}"
	return s
}
