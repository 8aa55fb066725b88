package config

import (
	"os"
	"sync"
)

var (
	verbose bool
	env     map[string]string // filled on first use
)
var envOnce sync.Once

func Env() map[string]string {
	envOnce.Do(func() {
		env = map[string]string{"HOME": os.Getenv("HOME")} // the only key for now
	})
	return env
}

func Verbose() bool { return verbose }
