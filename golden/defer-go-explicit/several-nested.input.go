package cleanup

import (
	"fmt"
	"strings"
)

func notify(who string) { fmt.Println("notify", who) }

func report(kind string, n int) { fmt.Println(kind, n) }

func Batch(names []string, verbose bool) (failed int) {
	defer func() {
		go report("failed", failed) // how many failed
		for _, name := range names {
			if strings.HasPrefix(name, "x") {
				go notify(name)
			}
		}
		switch {
		case verbose:
			go report("total", len(names))
		}
	}()
	defer func() {
		// Called in place: it runs as part of the deferred function.
		func() {
			go notify("admin")
		}()
	}()
	return len(names) / 2
}
