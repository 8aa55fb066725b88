package csv

import (
	"strconv"
	"testing"
)

func fields(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "field" + strconv.Itoa(i)
	}
	out[n/2] = "a,b"
	return out
}

func TestLine(t *testing.T) {
	got := Line(fields(5))
	t.Log("Line:", got)
	if got != `field0,field1,"a,b",field3,field4` {
		t.Fatalf("Line = %q", got)
	}
	if Line(nil) != "" {
		t.Fatal("Line(nil) is not empty")
	}
}

func BenchmarkLine(b *testing.B) {
	row := fields(200)
	for i := 0; i < b.N; i++ {
		Line(row)
	}
}
