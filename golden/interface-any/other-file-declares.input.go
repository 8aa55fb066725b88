package tags

func match(tag string, value interface{}) bool {
	return tag == any || value != nil
}
