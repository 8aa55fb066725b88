package cleanup

import "fmt"

func Shutdown() {
	defer func() {
		go func() {
			fmt.Println("stopping")
			go fmt.Println("stopped")
		}()
	}()
	fmt.Println("working")
}
