//go:build !race

package jsondec

const raceDetector = false
