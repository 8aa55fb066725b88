package compat

// any is declared here for code that predates Go 1.18.
type any = interface{}

func Print(v interface{}) {}

var cache = map[string]interface{}{}
