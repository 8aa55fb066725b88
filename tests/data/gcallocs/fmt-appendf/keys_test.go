package keys

import "testing"

func TestUser(t *testing.T) {
	got := User("acme", 12345)
	t.Logf("User: %q (nil: %v)", got, got == nil)
	if string(got) != "tenant/acme/user/12345" {
		t.Fatalf("User = %q", got)
	}
}

func TestLine(t *testing.T) {
	got := Line("acme", 12345, "ann")
	t.Logf("Line: %q (nil: %v)", got, got == nil)
	if string(got) != "acme 12345 ann\n" {
		t.Fatalf("Line = %q", got)
	}
}

// sink keeps the results on the heap, as a caller that stores them would.
var sink []byte

func BenchmarkUser(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink = User("acme", 1000+i)
	}
}

func BenchmarkLine(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink = Line("acme", 1000+i, "ann")
	}
}
