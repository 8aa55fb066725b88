package tree

import "sync"

type Node struct{ Kids []*Node }

func walk(root *Node, visit func(*Node)) {
	var wg sync.WaitGroup
	for _, kid := range root.Kids {
		wg.Go(func() {
			visit(kid)
			var inner sync.WaitGroup
			for _, grandkid := range kid.Kids {
				inner.Go(func() {
					visit(grandkid)
				})
			}
			inner.Wait()
		})
	}
	wg.Wait()
}
