package paths

import (
	"fmt"
	"path"
)

func Join(elem string) string {
	var sep = `/`
	return path.Join(fmt.Sprintf("%s", Root), fmt.Sprintf("%v", Home()), elem) + fmt.Sprintf("%s", sep)
}
