//go:build race

package notify_test

// raceOn: the race detector slows the full scan of TestPassEquivalence some tenfold,
// so under it the test takes the short population.
const raceOn = true
