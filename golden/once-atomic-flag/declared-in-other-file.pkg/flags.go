package metrics

var registered int64
