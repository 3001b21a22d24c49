package intercom

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/apipin/intercom/internal/engine"
)

// Sentinel errors, for errors.Is. The ones describing HTTP answers match an
// *Error through its Is method, so the *Error (with the request id and
// the server's details) stays available through errors.As.
var (
	// ErrNoToken: neither WithToken nor WithTokenSource (nor INTERCOM_TOKEN
	// for NewFromEnv) supplied credentials.
	ErrNoToken = errors.New("intercom: no access token: use WithToken or WithTokenSource, or set INTERCOM_TOKEN for NewFromEnv")
	// ErrVersionOverride: something tried to send a request with an
	// Intercom-Version other than the one the client is pinned to.
	ErrVersionOverride = errors.New("intercom: Intercom-Version override refused")
	// ErrNotFound matches a 404 answer.
	ErrNotFound = errors.New("intercom: not found")
	// ErrUnauthorized matches a 401 answer.
	ErrUnauthorized = errors.New("intercom: unauthorized")
	// ErrRateLimited matches a 429 answer that was not (or no longer) retried.
	ErrRateLimited = errors.New("intercom: rate limited")
	// ErrVersionInvalid matches an answer with the error code
	// intercom_version_invalid: the server does not know the version sent.
	ErrVersionInvalid = errors.New("intercom: Intercom-Version rejected by the server")
	// ErrResponseTooLarge: a response body exceeded the 64 MiB limit.
	ErrResponseTooLarge = errors.New("intercom: response body too large")
)

const codeVersionInvalid = "intercom_version_invalid"

// Error is a non-2xx answer from the API. Every non-2xx status becomes an
// *Error, whether or not the operation declares it; a body that is not an
// Intercom error list (an HTML page from a proxy, say) is kept in Body.
type Error struct {
	StatusCode int
	RequestID  string        // X-Request-Id header, else the body's request_id
	Errors     []ErrorDetail // the body's error list, if any
	RateLimit  RateLimit
	Body       []byte // raw body, up to the response size limit
	Operation  string // operation id, e.g. "getContact"
	Method     string
	Version    string // the Intercom-Version that was sent
}

// ErrorDetail is one entry of an Intercom error list.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

// RateLimit holds the X-RateLimit-* headers of a response. Intercom counts
// requests per 10-second window; Known is false when no header was present.
type RateLimit struct {
	Limit     int
	Remaining int
	Reset     time.Time
	Known     bool
}

// newError builds the *Error for a non-2xx response whose body has been read.
func newError(resp *http.Response, body []byte, op *engine.Operation, version string) *Error {
	e := &Error{
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("X-Request-Id"),
		RateLimit:  parseRateLimit(resp.Header),
		Body:       trimmed(body),
		Version:    version,
	}
	if op != nil {
		e.Operation, e.Method = op.Name(), op.Method
	}
	if resp.Request != nil {
		e.Method = resp.Request.Method
	}
	var list struct {
		RequestID string        `json:"request_id"`
		Errors    []ErrorDetail `json:"errors"`
	}
	if decode(body, &list) == nil {
		e.Errors = list.Errors
		if e.RequestID == "" {
			e.RequestID = list.RequestID
		}
	}
	return e
}

// Error is one line: operation, status, the first error code and message,
// and the request id to quote to Intercom support. It never includes the
// body (which a misbehaving proxy could fill with request headers).
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("intercom: ")
	if e.Operation != "" {
		b.WriteString(e.Operation + ": ")
	}
	fmt.Fprintf(&b, "%s %d %s", e.Method, e.StatusCode, http.StatusText(e.StatusCode))
	if len(e.Errors) > 0 {
		d := e.Errors[0]
		b.WriteString(": " + oneLine(d.Code))
		if d.Message != "" {
			b.WriteString(": " + oneLine(d.Message))
		}
		if d.Field != "" {
			b.WriteString(" (field " + oneLine(d.Field) + ")")
		}
		if n := len(e.Errors) - 1; n > 0 {
			fmt.Fprintf(&b, " (+%d more)", n)
		}
	}
	if e.HasCode(codeVersionInvalid) {
		fmt.Fprintf(&b, " (Intercom-Version sent: %q)", e.Version)
	}
	if e.StatusCode == http.StatusTooManyRequests && !e.RateLimit.Reset.IsZero() {
		b.WriteString(" (rate limit resets at " + e.RateLimit.Reset.UTC().Format(time.RFC3339) + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" [request_id " + oneLine(e.RequestID) + "]")
	}
	return b.String()
}

// maxErrorField bounds each server-provided field in Error(): the message
// lands in logs and terminals, and a server (or a proxy in between) can
// make it any size. The full text stays in Errors and Body.
const maxErrorField = 1 << 10

// oneLine makes server-provided text safe for one log line: runs of
// white space become one space; control characters (ESC, backspace,
// NUL…), bidirectional overrides (U+202E…) and invalid UTF-8, which could
// rewrite or hide what a terminal or log viewer shows, are written as Go
// escapes; and the result is cut at maxErrorField bytes with a marker
// saying how much was left out.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for i, r := range s {
		if b.Len() >= maxErrorField {
			fmt.Fprintf(&b, "…[%d more bytes]", len(s)-i)
			break
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		switch _, size := utf8.DecodeRuneInString(s[i:]); {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r) || isBidiControl(r):
			b.WriteString(strings.Trim(strconv.QuoteRuneToASCII(r), "'"))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isBidiControl reports the Unicode formatting characters that reorder
// text (Trojan Source): embeddings, overrides, isolates and marks.
func isBidiControl(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

// Code returns the first error code, or "".
func (e *Error) Code() string {
	if len(e.Errors) == 0 {
		return ""
	}
	return e.Errors[0].Code
}

// HasCode reports whether any entry of the error list has code.
func (e *Error) HasCode(code string) bool {
	return slices.ContainsFunc(e.Errors, func(d ErrorDetail) bool { return d.Code == code })
}

// Is lets errors.Is match the sentinels ErrNotFound, ErrUnauthorized,
// ErrRateLimited and ErrVersionInvalid.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrVersionInvalid:
		return e.HasCode(codeVersionInvalid)
	}
	return false
}

// parseRateLimit reads the X-RateLimit-* headers; absent or malformed ones
// stay zero.
func parseRateLimit(h http.Header) RateLimit {
	var rl RateLimit
	if n, err := strconv.Atoi(h.Get("X-RateLimit-Limit")); err == nil {
		rl.Limit, rl.Known = n, true
	}
	if n, err := strconv.Atoi(h.Get("X-RateLimit-Remaining")); err == nil {
		rl.Remaining, rl.Known = n, true
	}
	if n, ok := parseSeconds(h.Get("X-RateLimit-Reset")); ok && n > 0 {
		// time.Unix wraps around for values near the int64 limit, which
		// would turn a reset centuries ahead into one in the past (retry
		// at once); any value past maxResetUnix is held there instead.
		rl.Reset, rl.Known = time.Unix(int64(min(n, maxResetUnix)), 0), true
	}
	return rl
}

// maxResetUnix (the year 6325) is later than any reset a server means:
// X-RateLimit-Reset values beyond it are read as it.
const maxResetUnix = 1 << 37
