// Package server starts a serve loop after checking its configuration.
package server

// Run starts serve, then checks the configuration: on a bad one it returns at
// once, and the serve goroutine's result is never received.
func Run(serve func() error, check func() error) error {
	errCh := make(chan error)
	go func() {
		errCh <- serve()
	}()
	if err := check(); err != nil {
		return err
	}
	return <-errCh
}
