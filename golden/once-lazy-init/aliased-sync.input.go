package config

import (
	"strings"
	gosync "sync"
)

var mu gosync.Mutex

var hosts []string

var extra []string

// The file imports sync as gosync: the new declaration uses that name.
func Hosts() []string {
	if hosts == nil {
		hosts = strings.Split("a,b,c", ",")
	}
	return hosts
}

func Add(h string) {
	mu.Lock()
	defer mu.Unlock()
	extra = append(extra, h)
}
