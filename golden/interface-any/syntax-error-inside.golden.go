package cache

// Entry keeps its key's length behind a pointer made with Go 1.26's
// new(expr); the parser does not know that form, so this declaration is left
// alone and its interface{} stays (a parser that knows the form will change it).
func Entry(key string, value interface{}) (*int, interface{}) {
	return new(len(key)), value
}

// Empty returns a pointer to an empty string.
func Empty() *string {
	return new("")
}

// Size has no interface{}: the file is processed, and nothing changes.
func Size(key string) int {
	return len(key)
}
