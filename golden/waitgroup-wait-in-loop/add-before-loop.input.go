package fetch

import "sync"

// Add counted every URL, Wait runs in the first iteration: it never returns.
func FetchAll(urls []string, get func(string) error) []error {
	errs := make([]error, len(urls))
	var wg sync.WaitGroup
	wg.Add(len(urls))
	for i, u := range urls {
		go func() {
			defer wg.Done()
			errs[i] = get(u)
		}()
		wg.Wait()
	}
	return errs
}
