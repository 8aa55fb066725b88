package reports

type Item struct {
	Name   string
	Hidden bool
	Tags   []string
}

func visible(items []Item) []string {
	names := []string{}
	for _, it := range items {
		if it.Hidden {
			continue
		}
		names = append(names, it.Name)
	}
	return names
}

func conditional(items []Item) []string {
	names := []string{}
	for _, it := range items {
		if !it.Hidden {
			names = append(names, it.Name)
		}
	}
	return names
}

func twice(items []Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.Name)
		out = append(out, "-")
	}
	return out
}

func flatten(items []Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.Tags...)
	}
	return out
}

func firstFew(items []Item, limit int) []string {
	n := 0
	out := []string{}
	for _, it := range items {
		out = append(out, it.Name)
		if n++; n == limit {
			break
		}
	}
	return out
}

// The nil result shows: it is returned.
func Names(items []Item) []string {
	var names []string
	for _, it := range items {
		names = append(names, it.Name)
	}
	return names
}

func isNil(items []Item) bool {
	var names []string
	for _, it := range items {
		names = append(names, it.Name)
	}
	return names == nil
}
