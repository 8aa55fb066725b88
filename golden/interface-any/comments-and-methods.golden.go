package iface

// Empty interfaces with a comment inside are kept so the comment survives.
var a interface {
	// Anything at all.
}

var b interface { /* deliberately empty */
}

// Non-empty interfaces are not interface{}.
type Named interface{ Name() string }

var c interface {
	Named
}
