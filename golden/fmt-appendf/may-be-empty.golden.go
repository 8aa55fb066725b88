package store

import "fmt"

const keyFormat = "key-%d"

// Each of these may format as "": []byte("") is an empty slice that is not
// nil, while fmt.Appendf(nil, ...) of an empty result is nil; or the format
// is not visible as a literal.
func keys(name string, id int, format string, v any) [][]byte {
	return [][]byte{
		[]byte(fmt.Sprintf("%s", name)),
		[]byte(fmt.Sprintf("%v%x", v, name)),
		[]byte(fmt.Sprintf("%-10s", name)),
		[]byte(fmt.Sprintf("%.0d", id)),
		[]byte(fmt.Sprintf("")),
		[]byte(fmt.Sprintf(format, id)),
		[]byte(fmt.Sprintf(keyFormat, id)),
		[]byte(fmt.Sprint(name)),
		[]byte(fmt.Sprint(id)),
		[]byte(fmt.Sprint()),
	}
}

// Not a conversion to []byte of a fmt call.
func others(name string) ([]rune, string, []byte) {
	return []rune(fmt.Sprintf("r-%s", name)), string(fmt.Sprintf("s-%s", name)), []byte(name)
}
