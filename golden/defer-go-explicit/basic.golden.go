package cleanup

import (
	"fmt"
	"os"
)

func flush(name string) { fmt.Println("flush", name) }

// Save writes the file; the deferred flush used to run in the background and
// could be lost when the program exits.
func Save(name string) error {
	defer func() {
		flush(name)
	}()
	return os.WriteFile(name, nil, 0o644)
}
