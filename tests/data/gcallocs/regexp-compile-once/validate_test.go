package validate

import (
	"fmt"
	"testing"
)

func TestIsDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{{"2024-02-29", true}, {"2024-2-29", false}, {"x2024-02-29", false}} {
		got := IsDate(tc.in)
		fmt.Println("IsDate", tc.in, got)
		if got != tc.want {
			t.Errorf("IsDate(%q) = %v", tc.in, got)
		}
	}
}

func TestWords(t *testing.T) {
	got := Words("the Quick brown fox")
	fmt.Println("Words:", got)
	if fmt.Sprint(got) != "[the uick brown fox]" {
		t.Fatalf("Words = %v", got)
	}
}

func BenchmarkIsDate(b *testing.B) {
	for i := 0; i < b.N; i++ {
		IsDate("2024-02-29")
	}
}

func BenchmarkWords(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Words("the quick brown fox")
	}
}
