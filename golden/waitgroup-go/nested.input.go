package tree

import "sync"

type Node struct{ Kids []*Node }

func walk(root *Node, visit func(*Node)) {
	var wg sync.WaitGroup
	for _, kid := range root.Kids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			visit(kid)
			var inner sync.WaitGroup
			for _, grandkid := range kid.Kids {
				inner.Add(1)
				go func() {
					visit(grandkid)
					inner.Done()
				}()
			}
			inner.Wait()
		}()
	}
	wg.Wait()
}
