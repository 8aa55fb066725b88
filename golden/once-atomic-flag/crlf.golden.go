package crlf

import (
	"fmt"
	"sync"
)

var doneOnce sync.Once // set by the first Close

func Close() {
	doneOnce.Do(func() { // only once
		fmt.Println("closing")
	})
}
