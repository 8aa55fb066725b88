package sync

func describe(names []string) string {
	s := "sync:"
	for _, n := range names {
		s += " " + n
	}
	return s
}
