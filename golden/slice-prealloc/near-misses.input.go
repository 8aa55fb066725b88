package near

import "strconv"

func count(n int) []string {
	var out []string
	for i := range n {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

func drain(ch chan int) []int {
	got := []int{}
	for v := range ch {
		got = append(got, v)
	}
	return got
}

func fromCall(f func() []int) []int {
	out := []int{}
	for _, v := range f() {
		out = append(out, v)
	}
	return out
}

func unknownType(xs Values) []int {
	out := []int{}
	for _, v := range xs {
		out = append(out, v)
	}
	return out
}

type Values []int

func notAdjacent(xs []int) []int {
	out := []int{}
	total := 0
	for _, v := range xs {
		out = append(out, v)
		total += v
	}
	return out
}

func withCapacity(xs []int) []int {
	out := make([]int, 0, 4)
	for _, v := range xs {
		out = append(out, v)
	}
	return out
}

func closure(xs []int) []int {
	out := []int{}
	for _, v := range xs {
		out = append(out, v)
		defer func() { out = append(out, v) }()
	}
	return out
}

func shadowed(groups [][]int) []int {
	out := []int{}
	for _, g := range groups {
		out := out
		out = append(out, g...)
	}
	return out
}

type box struct{ items []int }

func current() *box { return &box{} }

// len would call current a second time.
func viaCall() []int {
	out := []int{}
	for _, v := range current().items {
		out = append(out, v)
	}
	return out
}
