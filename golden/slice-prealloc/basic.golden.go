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
	ids := make([]int, 0, len(users))
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	return ids
}

// Names returns the sorted names of the directory.
func (d *Directory) Names() int {
	names := make([]string, 0, len(d.users)) // filled below
	for _, u := range d.users {
		names = append(names, strings.ToLower(u.Name))
	}
	sort.Strings(names)
	return len(names)
}

func (d *Directory) Keys() []string {
	keys := make([]string, 0, len(d.index))
	for k := range d.index {
		keys = append(keys, k)
	}
	return keys
}

func upper(s string) int {
	runes := make([]rune, 0, len(s))
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
	out := make([]int, 0, len(nums))
	for i := range nums {
		out = append(out, i*i)
	}
	return out
}

// Reading the slice in the loop is fine: it is not replaced.
func readInLoop(xs []int) []int {
	out := make([]int, 0, len(xs))
	for _, v := range xs {
		out = append(out, v+len(out))
	}
	return out
}
