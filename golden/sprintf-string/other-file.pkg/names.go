package paths

var Root string

func Home() string { return "/home" }
