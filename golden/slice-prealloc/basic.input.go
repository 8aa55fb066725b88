package users

import (
	"sort"
	"strings"
)

type User struct {
	ID   int
	Name string
}

type Directory struct {
	users []User
	index map[string]User
}

// IDs returns the id of every user.
func IDs(users []User) []int {
	ids := []int{}
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	return ids
}

// Names returns the sorted names of the directory.
func (d *Directory) Names() int {
	var names []string // filled below
	for _, u := range d.users {
		names = append(names, strings.ToLower(u.Name))
	}
	sort.Strings(names)
	return len(names)
}

func (d *Directory) Keys() []string {
	keys := make([]string, 0)
	for k := range d.index {
		keys = append(keys, k)
	}
	return keys
}

func upper(s string) int {
	var runes []rune
	for _, r := range s {
		runes = append(runes, r-'a'+'A')
	}
	total := 0
	for _, r := range runes {
		total += int(r)
	}
	return total
}

func squares(n int) []int {
	nums := make([]int, n)
	out := make([]int, 0)
	for i := range nums {
		out = append(out, i*i)
	}
	return out
}

// Reading the slice in the loop is fine: it is not replaced.
func readInLoop(xs []int) []int {
	out := []int{}
	for _, v := range xs {
		out = append(out, v+len(out))
	}
	return out
}
