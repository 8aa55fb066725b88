package sources

import (
	"strconv"
	"strings"
)

type Config struct {
	Hosts [4]string
	Ports map[string]int
}

func hostPorts(c *Config) []string {
	out := []string{}
	for host, port := range c.Ports {
		out = append(out, host+":"+strconv.Itoa(port))
	}
	return out
}

func hosts(c Config) []string {
	upper := []string{}
	for _, h := range c.Hosts {
		upper = append(upper, strings.ToUpper(h))
	}
	return upper
}

func fields(line string) []int {
	parts := strings.Split(line, ",")
	nums := []int{}
	for _, p := range parts {
		n, _ := strconv.Atoi(strings.TrimSpace(p))
		nums = append(nums, n)
	}
	return nums
}

func grid(cells *[9]byte) []string {
	out := make([]string, 0)
	for i := range cells {
		out = append(out, string(cells[i]))
	}
	return out
}

func literal() []string {
	words := []string{"alpha", "beta"}
	titles := []string{}
	for _, w := range words {
		titles = append(titles, strings.ToUpper(w[:1])+w[1:])
	}
	return titles
}
