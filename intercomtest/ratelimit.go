package intercomtest

import "time"

// limiter is a fixed-window counter, the model Intercom documents: a budget
// of requests per window that refills all at once when the window rolls over.
type limiter struct {
	limit  int
	window time.Duration
	start  time.Time // start of the current window
	used   int
}

// take charges one request made at now. It reports the requests still allowed
// in the window, when the window resets (Unix seconds, rounded up so a client
// waiting until then is never early) and whether this request fits.
func (l *limiter) take(now time.Time) (remaining int, reset int64, ok bool) {
	// Truncate aligns windows to multiples of the window length, so 10-second
	// windows start on Unix seconds ending in 0, as clock-based limits do.
	start := now.Truncate(l.window)
	if !start.Equal(l.start) {
		l.start, l.used = start, 0
	}
	end := start.Add(l.window)
	reset = end.Unix()
	if end.Nanosecond() != 0 {
		reset++
	}
	if l.used >= l.limit {
		return 0, reset, false
	}
	l.used++
	return l.limit - l.used, reset, true
}
