package controller

import "sync"

// A Kubernetes-style controller: Stop holds c.mu while it waits for the
// workers, and every worker takes c.mu for each item it handles.
type Controller struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	wg    sync.WaitGroup
	queue chan string
	seen  map[string]bool
	stats map[string]int
}

func (c *Controller) Run(workers int) {
	for i := 0; i < workers; i++ {
		c.wg.Add(1)
		go c.worker()
	}
}

func (c *Controller) worker() {
	defer c.wg.Done()
	for key := range c.queue {
		c.mu.Lock()
		c.seen[key] = true
		c.mu.Unlock()
		c.rw.RLock()
		_ = c.stats[key]
		c.rw.RUnlock()
	}
}

func (c *Controller) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(c.queue)
	c.wg.Wait()
}

// Readers do not block each other: the workers only read-lock c.rw.
func (c *Controller) Snapshot() map[string]int {
	c.rw.RLock()
	defer c.rw.RUnlock()
	c.wg.Wait()
	return c.stats
}

// Waiting after the unlock is fine.
func (c *Controller) Shutdown() {
	c.mu.Lock()
	close(c.queue)
	c.mu.Unlock()
	c.wg.Wait()
}
