package once

import (
	"fmt"
	"regexp"
)

var word = regexp.MustCompile(`\w+`)

var lazy = func() *regexp.Regexp { return regexp.MustCompile(`lazy`) }()

var table = map[string]*regexp.Regexp{
	"digits": regexp.MustCompile(`^\d+$`),
}

func init() {
	fmt.Println(regexp.MustCompile(`init`).MatchString("init"))
}
