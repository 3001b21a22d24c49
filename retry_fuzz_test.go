package intercom

import (
	"math"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// Whatever a server writes in Retry-After or X-RateLimit-Reset, the wait
// read from it is never negative and never shorter than what the header
// says: a huge value saturates (and is then refused by every bound), it
// never wraps around to a short wait or an immediate retry.
func FuzzServerWait(f *testing.F) {
	for _, s := range []string{"0", "3", "18446744074", "9223372036854775807", "18446744073709551615",
		"1" + strings.Repeat("0", 30), "-1", "+5", " 5", "1e9", "Wed, 21 Oct 2015 07:28:00 GMT", ""} {
		f.Add(s, true)
		f.Add(s, false)
	}
	now := time.Unix(1_800_000_000, 0)
	f.Fuzz(func(t *testing.T, value string, retryAfter bool) {
		h := http.Header{}
		key := "X-RateLimit-Reset"
		if retryAfter {
			key = "Retry-After"
		}
		h.Set(key, value)
		wait := serverWait(h, now, true)
		if wait < 0 {
			t.Fatalf("%s: %q: negative wait %s", key, value, wait)
		}
		n, ok := new(big.Int).SetString(h.Get(key), 10)
		if !ok || n.Sign() < 0 || strings.ContainsAny(h.Get(key), "+-") {
			return
		}
		// The wait the header asks for, in seconds.
		want := n
		if !retryAfter {
			if n.Sign() == 0 {
				return // a zero reset is no reset
			}
			want = new(big.Int).Sub(n, big.NewInt(now.Unix()))
			if want.Sign() <= 0 {
				if wait != 0 {
					t.Fatalf("%s: %q: a reset in the past gives %s", key, value, wait)
				}
				return
			}
		}
		maxSecs := big.NewInt(math.MaxInt64 / int64(time.Second))
		if want.Cmp(maxSecs) >= 0 {
			// Beyond what a Duration holds, or the reset clamp: any
			// wait of centuries is refused by every bound alike.
			if wait < 100*365*24*time.Hour {
				t.Fatalf("%s: %q: asks for %s s, read as only %s", key, value, want, wait)
			}
			return
		}
		if got := int64(wait / time.Second); big.NewInt(got).Cmp(want) != 0 && want.Cmp(big.NewInt(int64(maxResetUnix)-now.Unix())) < 0 {
			t.Fatalf("%s: %q: asks for %s s, read as %s", key, value, want, wait)
		}
	})
}

// Whatever text a server puts in an error, Error() shows it on one line,
// bounded, with no control or bidirectional-override characters left.
func FuzzErrorText(f *testing.F) {
	for _, s := range []string{"plain", "a\x1b[2Jb", "\u202egnp.exe", "bad\xffutf8", "\x00\x08\t\n", strings.Repeat("é", 2000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := &Error{StatusCode: 400, Method: "GET", Operation: "getContact", RequestID: s,
			Errors: []ErrorDetail{{Code: s, Message: s, Field: s}}}
		msg := e.Error()
		if len(msg) > 5<<10 {
			t.Fatalf("Error() is %d bytes", len(msg))
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("Error() is not valid UTF-8: %q", msg)
		}
		for _, r := range msg {
			if unicode.IsControl(r) || isBidiControl(r) {
				t.Fatalf("Error() contains %U: %q", r, msg)
			}
		}
	})
}
