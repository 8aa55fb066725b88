package paths

import (
	"path"
)

func Join(elem string) string {
	var sep = `/`
	return path.Join(Root, Home(), elem) + sep
}
