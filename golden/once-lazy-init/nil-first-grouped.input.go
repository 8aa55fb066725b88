package config

import "os"

var (
	verbose bool
	env     map[string]string // filled on first use
)

func Env() map[string]string {
	if nil == env {
		env = map[string]string{"HOME": os.Getenv("HOME")} // the only key for now
	}
	return env
}

func Verbose() bool { return verbose }
