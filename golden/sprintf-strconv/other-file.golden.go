package limits

import "strconv"

func Summary() string {
	return strconv.Itoa(MaxConns) + "/" + strconv.FormatBool(Strict) + "/" + strconv.FormatInt(Retries(), 10)
}
