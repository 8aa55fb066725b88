package cleanup

import "fmt"

func Shutdown() {
	defer func() {
		func() {
			fmt.Println("stopping")
			fmt.Println("stopped")
		}()
	}()
	fmt.Println("working")
}
