package limits

const MaxConns int = 64

var Strict bool

func Retries() int64 { return 3 }
