package cache

import "sync/atomic"

// IsWarm reads the flag that Warm sets.
func IsWarm() bool { return atomic.LoadUint32(&warmed) == 1 }
