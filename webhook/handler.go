package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
)

// DefaultMaxBodyBytes caps the body Handler reads. Notifications are small;
// the cap keeps a hostile sender from making the server buffer without end.
const DefaultMaxBodyBytes int64 = 1 << 20

// HandlerOption configures Handler.
type HandlerOption func(*handlerConfig)

type handlerConfig struct {
	maxBody int64
	onError func(r *http.Request, status int, err error)
}

// MaxBodyBytes sets the largest body Handler accepts; bigger ones get 413.
// Values below 1 keep the default.
func MaxBodyBytes(n int64) HandlerOption {
	return func(c *handlerConfig) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// OnError registers a function told about every refused or failed delivery,
// with the status that was answered, e.g. for logging. The error never
// contains the secret.
func OnError(fn func(r *http.Request, status int, err error)) HandlerOption {
	return func(c *handlerConfig) { c.onError = fn }
}

// Handler returns an http.Handler for an Intercom webhook endpoint. For each
// POST it reads the body (413 when larger than the limit), verifies the
// signature with secret (401 when missing or wrong), parses it (400 when
// malformed) and calls fn with the request context (500 when fn returns an
// error, so Intercom retries later; 200 otherwise).
//
// Answers carry only a short status text: the sender learns nothing about
// why a signature failed or what fn returned.
func Handler(secret []byte, fn func(ctx context.Context, n Notification) error, opts ...HandlerOption) http.Handler {
	cfg := handlerConfig{maxBody: DefaultMaxBodyBytes}
	for _, o := range opts {
		o(&cfg)
	}
	// Copy the secret so a caller reusing its slice cannot change it later.
	key := append([]byte(nil), secret...)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(status int, err error) {
			if cfg.onError != nil {
				cfg.onError(r, status, err)
			}
			http.Error(w, http.StatusText(status), status)
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			fail(http.StatusMethodNotAllowed, errors.New("webhook: method "+r.Method+" is not POST"))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, cfg.maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				fail(http.StatusRequestEntityTooLarge, err)
			} else {
				fail(http.StatusBadRequest, err)
			}
			return
		}
		if err := Verify(key, body, r.Header.Get(SignatureHeader)); err != nil {
			if errors.Is(err, ErrMissingSecret) {
				fail(http.StatusInternalServerError, err) // our misconfiguration, not the sender's fault
			} else {
				fail(http.StatusUnauthorized, err)
			}
			return
		}
		n, err := Parse(body)
		if err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		if err := fn(r.Context(), n); err != nil {
			fail(http.StatusInternalServerError, err)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
