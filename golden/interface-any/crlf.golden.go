package crlf

// Values holds anything.
var Values = []any{1, "two", 3.0}

func Put(v any) { Values = append(Values, v) }
