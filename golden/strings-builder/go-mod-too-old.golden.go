package old

func join(xs []string) string {
	s := ""
	for _, x := range xs {
		s += x
	}
	return s
}
