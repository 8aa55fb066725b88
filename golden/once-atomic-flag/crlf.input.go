package crlf

import (
	"fmt"
	"sync/atomic"
)

var done atomic.Bool // set by the first Close

func Close() {
	if done.CompareAndSwap(false, true) { // only once
		fmt.Println("closing")
	}
}
