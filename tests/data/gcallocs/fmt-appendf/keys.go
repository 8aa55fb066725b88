// Package keys builds the byte keys of a key-value store.
package keys

import "fmt"

// User is the key of a user record.
func User(tenant string, id int) []byte {
	return []byte(fmt.Sprintf("tenant/%s/user/%d", tenant, id))
}

// Line is one line of a dump: the fields and a newline.
func Line(tenant string, id int, name string) []byte {
	return []byte(fmt.Sprintln(tenant, id, name))
}
