package config

func fill(m *map[string]string) { *m = map[string]string{"k": "v"} }

func Reload() {
	cfg = &Config{Path: "reloaded.conf"}
	fill(&cache)
}
