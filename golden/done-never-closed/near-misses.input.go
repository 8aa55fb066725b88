package loop

func run(stop chan struct{}) {}

// Passed to a function that may close it: unknown.
func Passed() {
	stop := make(chan struct{})
	go run(stop)
	<-stop
}

// Returned: the caller may close it.
type T struct{ closing chan struct{} }

func (t *T) Closing() chan struct{} { return t.closing }

func (t *T) Wait() {
	<-t.closing
}

// One case of a select with another way out.
func Select(in <-chan int) int {
	quit := make(chan struct{})
	select {
	case v := <-in:
		return v
	case <-quit:
		return 0
	}
}

// Not named for a signal.
func Other() {
	ch := make(chan int)
	go func() { <-ch }()
}

// Made elsewhere.
func FromCall(newDone func() chan struct{}) {
	done := newDone()
	<-done
}
