package generate

import (
	"math"
	"math/rand/v2"
)

// Every piece of the data set draws from its own generator, seeded from the
// main seed and a label and index ("day", 3). Pieces can then be made in any
// order, in parallel, and still come out the same.

func splitmix64(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// newRand returns the generator of piece (label, i) of the data set seed.
func newRand(seed int64, label string, i int) *rand.Rand {
	h := splitmix64(uint64(seed))
	for j := 0; j < len(label); j++ {
		h = splitmix64(h ^ uint64(label[j]))
	}
	h = splitmix64(h ^ uint64(i))
	return rand.New(rand.NewPCG(h, splitmix64(h)))
}

// logNormal draws exp(N(mu, sigma)).
func logNormal(r *rand.Rand, mu, sigma float64) float64 {
	return math.Exp(mu + sigma*r.NormFloat64())
}

// pick returns a random element of list.
func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// weighted draws indexes in proportion to weights in O(log n) by binary
// search over cumulative sums.
type weighted struct{ cum []float64 }

func newWeighted(w []float64) *weighted {
	cum := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		cum[i] = s
	}
	return &weighted{cum: cum}
}

func (w *weighted) draw(r *rand.Rand) int {
	x := r.Float64() * w.cum[len(w.cum)-1]
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if w.cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// zipfWeights are 1/(rank+q)^s for ranks 1..n (Zipf-Mandelbrot): a few
// songs are played far more than the rest, and q flattens the head so the
// top song is not a tenth of all plays.
func zipfWeights(n int, s, q float64) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / math.Pow(float64(i+1)+q, s)
	}
	return w
}

// decimals rounds f to the given number of decimal places, as the real data
// holds them (durations 173.19138, coordinates 37.77916).
func decimals(f float64, places int) float64 {
	p := math.Pow10(places)
	return math.Round(f*p) / p
}
