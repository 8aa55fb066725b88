package stats

import "sort"

// Median of the values, or 0 when there is none.
func Median(values []float64) float64 {
	sorted := make([]float64, 0, len(values))
	for _, v := range values {
		sorted = append(sorted, v)
	}
	sort.Float64s(sorted)
	if len(sorted) == 0 {
		return 0
	}
	return sorted[len(sorted)/2]
}

func Sum(values map[string]int) int {
	all := make([]int, 0, len(values))
	for _, v := range values {
		all = append(all, v)
	}
	total := 0
	for _, v := range all {
		total += v
	}
	return total
}
