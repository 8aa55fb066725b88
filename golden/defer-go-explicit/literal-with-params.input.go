package cleanup

import "log"

type conn struct{ id int }

func (c *conn) Close() error { return nil }

func Serve(c *conn, count int) {
	defer func(n int) {
		go func() {
			// Close the connection and log how many requests it served.
			if err := c.Close(); err != nil {
				log.Printf("close %d: %v", c.id, err)
			}
			log.Printf("served %d", n) /* after close */
		}()
	}(count)
	count++
}
