package config

import "sync"

var portOnce sync.Once
