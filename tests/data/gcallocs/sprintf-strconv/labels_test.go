package labels

import "testing"

func TestLabels(t *testing.T) {
	t.Log("Port:", Port(8080), "Offset:", Offset(-1<<40), "Flag:", Flag(true), Flag(false))
	if Port(8080) != "8080" || Offset(-1<<40) != "-1099511627776" || Flag(true) != "true" {
		t.Fatal("wrong label")
	}
}

func BenchmarkPort(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Port(10000 + i)
	}
}

func BenchmarkOffset(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Offset(int64(1<<40 + i))
	}
}

func BenchmarkFlag(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Flag(i%2 == 0)
	}
}
