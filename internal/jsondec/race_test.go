//go:build race

package jsondec

// raceDetector: the race detector makes sync.Pool drop items at random,
// so allocation counts vary from run to run.
const raceDetector = true
