package cleanup

import "fmt"

func flush(name string) { fmt.Println("flush", name) }

func report(name string) { fmt.Println("report", name) }

func Save(name string) {
	//nolint:gocodemod // the flush must not block Save's return
	defer func() {
		fmt.Println("saving", name)
		go flush(name)
		go report(name)
	}()
	fmt.Println("saved", name)
}
