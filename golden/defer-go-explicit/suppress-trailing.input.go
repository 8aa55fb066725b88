package cleanup

import "fmt"

func flush(name string) { fmt.Println("flush", name) }

func Save(name string) {
	defer func() { //gocodemod:ignore -- covers the whole deferred call
		go flush("kept " + name)
	}()
	defer func() {
		go flush("also kept " + name) //nolint:errcheck,defer-go-explicit // by hand
		go flush("fixed " + name)
	}()
}
