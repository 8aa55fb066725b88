package cleanup

import "fmt"

func flush(name string) { fmt.Println("flush", name) }

func Save(name string) {
	//gocodemod:ignore defer-go-explicit
	defer func() {
		go flush("first " + name)
	}()
	defer func() {
		go flush("second " + name) // the sibling below is not covered
	}()
}
