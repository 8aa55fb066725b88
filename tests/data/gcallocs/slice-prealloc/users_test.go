package users

import (
	"fmt"
	"testing"
)

func sample(n int) []User {
	users := make([]User, n)
	for i := range users {
		users[i] = User{ID: i * 3, Name: fmt.Sprintf("User%03d", i)}
	}
	return users
}

func TestIDs(t *testing.T) {
	got := IDs(sample(5))
	fmt.Println("IDs:", got)
	if fmt.Sprint(got) != "[0 3 6 9 12]" {
		t.Fatalf("IDs = %v", got)
	}
	if empty := IDs(nil); empty == nil || len(empty) != 0 {
		t.Fatalf("IDs(nil) = %#v, want an empty, non-nil slice", empty)
	}
}

func TestLongest(t *testing.T) {
	byID := map[int]User{}
	for _, u := range sample(4) {
		byID[u.ID] = u
	}
	byID[99] = User{ID: 99, Name: "Ann-Marie"}
	got := Longest(byID)
	fmt.Println("Longest:", got)
	if got != "Ann-Marie" {
		t.Fatalf("Longest = %q", got)
	}
	if got := Longest(nil); got != "" {
		t.Fatalf("Longest(nil) = %q", got)
	}
}

func BenchmarkIDs(b *testing.B) {
	users := sample(1000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		IDs(users)
	}
}

func BenchmarkLongest(b *testing.B) {
	byID := map[int]User{}
	for _, u := range sample(200) {
		byID[u.ID] = u
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Longest(byID)
	}
}
