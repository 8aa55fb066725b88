package tags

// any is a tag that matches everything.
var any = "*"
