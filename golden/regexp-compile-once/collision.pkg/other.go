package collide

var reLines = 0

func isDigitsRe() {}
