package cleanup

import "fmt"

func Log(msg string) {
	defer func() {
		go func() {
			// written last
			fmt.Println(msg)
		}()
	}()
	fmt.Println("start")
}
