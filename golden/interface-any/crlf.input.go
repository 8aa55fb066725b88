package crlf

// Values holds anything.
var Values = []interface{}{1, "two", 3.0}

func Put(v interface{}) { Values = append(Values, v) }
