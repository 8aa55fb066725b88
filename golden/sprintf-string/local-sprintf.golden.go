package local

type formatter struct{}

func (formatter) Sprintf(format string, args ...any) string { return format }

// fmt is a local value, not the package.
func Show(name string) string {
	fmt := formatter{}
	return fmt.Sprintf("%s", name)
}
