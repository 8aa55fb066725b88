package scoped

// A parameter called any: neither its signature nor its body changes.
func withParam(any int, v interface{}) interface{} {
	var w interface{} = v
	return w
}

// A type parameter called any.
func Map[any interface{}, R interface{}](xs []any, f func(any) R) []R {
	var out []R
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

// A generic type with a type parameter called any.
type Box[any interface{}] struct {
	v     any
	extra interface{}
}

// A local type called any.
func local() {
	type any = interface{}
	var x interface{}
	_ = x
}
