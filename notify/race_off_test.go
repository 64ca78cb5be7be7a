//go:build !race

package notify_test

// raceOn: see race_on_test.go.
const raceOn = false
