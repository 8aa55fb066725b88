package config

import "fmt"

// Defaults are pointers to literal values (Go 1.26's new(expr), which the
// parser does not know yet: the declaration is left as it is).
var Defaults = struct {
	Port    *int
	Name    *string
	Options interface{}
}{
	Port: new(8080),
	Name: new("server"),
}

// Timeout takes new(expr) too; the interface{} inside stays, as the whole
// declaration that holds a syntax error is left alone.
func Timeout(values ...interface{}) *int {
	fmt.Println(values...)
	return new(30)
}

// Describe is elsewhere: it is changed.
func Describe(v interface{}) string {
	return fmt.Sprint(v)
}

// Table is a type declaration after the broken ones: it is changed too.
type Table map[string]interface{}
