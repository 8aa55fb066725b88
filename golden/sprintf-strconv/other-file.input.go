package limits

import "fmt"

func Summary() string {
	return fmt.Sprintf("%d", MaxConns) + "/" + fmt.Sprintf("%v", Strict) + "/" + fmt.Sprintf("%d", Retries())
}
