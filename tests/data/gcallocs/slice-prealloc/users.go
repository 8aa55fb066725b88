// Package users fills slices from other collections, one element per element.
package users

import "sort"

type User struct {
	ID   int
	Name string
}

// IDs returns the id of every user, in order.
func IDs(users []User) []int {
	ids := []int{}
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	return ids
}

// Longest returns the longest user name (the first in name order on a tie).
func Longest(byID map[int]User) string {
	var names []string
	for _, u := range byID {
		names = append(names, u.Name)
	}
	sort.Strings(names)
	best := ""
	for _, name := range names {
		if len(name) > len(best) {
			best = name
		}
	}
	return best
}
