package wire

import "fmt"

func request(path string, n int) []byte {
	return fmt.Appendf(nil, "GET %s HTTP/1.1\r\n"+
		"Content-Length: %d\r\n"+
		"\r\n", path, n)
}

// A verb cut between two literals ("%" + "s") may format as "": it stays,
// and so does a sum with a name in it.
func cut(name, prefix string) ([]byte, []byte) {
	return []byte(fmt.Sprintf("%"+"s", name)), []byte(fmt.Sprintf(prefix+"%s", name))
}
