package names

import "testing"

func TestGreeting(t *testing.T) {
	t.Logf("Greeting: %q %q", Greeting("ann"), Greeting(""))
	if Greeting("ann") != "hello, ann" || Greeting("") != "hello, anonymous" {
		t.Fatal("wrong greeting")
	}
}

// sink keeps the results on the heap, as a caller that stores them would.
var sink string

func BenchmarkGreeting(b *testing.B) {
	names := []string{"alice", "bob", ""}
	for i := 0; i < b.N; i++ {
		sink = Greeting(names[i%len(names)])
	}
}
