package cleanup

import "fmt"

func flush(name string) { fmt.Println("flush", name) }

func Save(name string) {
	switch name {
	//nolint // a bare nolint silences every linter, gocodemod too
	case "a":
		defer func() {
			go flush(name)
		}()
	//nolint:errcheck // names another linter only: not ours
	case "b":
		defer func() {
			go flush(name)
		}()
	//nolint:all
	case "c":
		defer func() {
			go flush(name)
		}()
	// nolint:unused,Defer-Go-Explicit
	case "d":
		defer func() {
			go flush(name)
		}()
	default:
		defer func() {
			go flush(name)
		}()
	}
}
