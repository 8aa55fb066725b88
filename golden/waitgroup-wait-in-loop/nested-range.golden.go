package shard

import "sync"

type Shard struct{ keys []string }

func (s *Shard) flush() {}

func FlushAll(shards []*Shard) {
	var wg sync.WaitGroup
	wg.Add(len(shards))
	for _, s := range shards {
		go func(s *Shard) {
			s.flush()
			wg.Done()
		}(s)
		// wait for this shard before the next one
		wg.Wait()
	}
}
