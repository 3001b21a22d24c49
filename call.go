package intercom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/apipin/intercom/internal/paging"
)

// Operation identifies an API operation. Generated packages declare one per
// operation; the transport reads it from the context to name the operation
// in errors, logs and hooks.
type Operation struct {
	ID     string // operationId, e.g. "getContact"
	Method string // HTTP method
	Path   string // path template, e.g. "/contacts/{contact_id}"
}

// name is how errors and logs name the operation: its operationId, or
// "METHOD path" when the spec gives none.
func (op *Operation) name() string {
	if op.ID != "" {
		return op.ID
	}
	return op.Method + " " + op.Path
}

// SendFunc performs the HTTP call of an operation, normally through a raw
// generated client built on Core.Doer. It must use the context it is given.
type SendFunc func(ctx context.Context) (*http.Response, error)

// maxBodySize bounds how much of a response is read into memory.
const maxBodySize = 64 << 20

// Do runs op through send and decodes a 2xx JSON body into a new T. An
// empty 2xx body (204, say) gives a pointer to the zero T. Any non-2xx
// answer gives an *Error.
func Do[T any](ctx context.Context, c *Core, op *Operation, opts []CallOption, send SendFunc) (*T, error) {
	body, err := c.call(ctx, op, opts, send, true)
	if err != nil {
		return nil, err
	}
	v := new(T)
	if len(bytes.TrimSpace(body)) == 0 {
		paging.Record(ctx, body)
		return v, nil
	}
	// The body is ours alone, as decodeResponse requires: the decoded
	// strings refer to it.
	if err := c.decodeResponse(ctx, op, body, v); err != nil {
		return nil, fmt.Errorf("intercom: %s: decoding response: %w", op.name(), err)
	}
	// An iterator reads the paging members from the bytes the server sent:
	// the typed value may not hold one that arrived in another shape.
	paging.Record(ctx, body)
	return v, nil
}

// DoEmpty runs an operation that has no JSON success body; a 2xx body is
// drained and discarded. Any non-2xx answer gives an *Error.
func DoEmpty(ctx context.Context, c *Core, op *Operation, opts []CallOption, send SendFunc) error {
	_, err := c.call(ctx, op, opts, send, false)
	return err
}

// DoBytes runs an operation whose success body is not JSON (a transcript
// in text/plain, say): it asks for accept and returns the 2xx body as sent.
// Any non-2xx answer gives an *Error.
func DoBytes(ctx context.Context, c *Core, op *Operation, accept string, opts []CallOption, send SendFunc) ([]byte, error) {
	return c.call(withRequestHeader(ctx, "Accept", accept), op, opts, send, true)
}

// bodyReadAttempts bounds how often a safe request is sent again when its
// 2xx body breaks off mid-way (the transport's retries end when the headers
// arrive, so a connection dropped while the body streams lands here).
const bodyReadAttempts = 2

// call is the shared part of Do, DoEmpty and DoBytes: it returns the 2xx
// body (when keep is set) or the error, and always closes the response body.
// A GET whose body breaks off on a dropped connection is sent once more; an
// unsafe request never is, since the server has processed it.
func (c *Core) call(ctx context.Context, op *Operation, opts []CallOption, send SendFunc, keep bool) ([]byte, error) {
	if c == nil || op == nil || send == nil {
		return nil, errors.New("intercom: Do needs a Core, an Operation and a SendFunc")
	}
	ctx, cancel, err := applyCallOptions(ctx, opts)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("intercom: %s: %w", op.name(), err)
	}
	if c.client.Timeout > 0 {
		// http.Client.Timeout bounds one Do; a body that breaks off is
		// read again with a second Do below, which would get a fresh
		// timeout. The deadline makes the Timeout cover the whole call,
		// as WithHTTPClient promises.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.client.Timeout)
		defer cancel()
	}
	for attempt := 1; ; attempt++ {
		body, err := c.callOnce(ctx, op, send, keep)
		var readErr *bodyReadError
		if errors.As(err, &readErr) && attempt < bodyReadAttempts && isSafeMethod(op.Method) &&
			isConnectionError(readErr.err) && ctx.Err() == nil {
			continue
		}
		return body, err
	}
}

// bodyReadError is a 2xx body that could not be read to its end.
type bodyReadError struct{ err error }

func (e *bodyReadError) Error() string { return "reading response: " + e.err.Error() }
func (e *bodyReadError) Unwrap() error { return e.err }

func (c *Core) callOnce(ctx context.Context, op *Operation, send SendFunc, keep bool) ([]byte, error) {
	resp, err := send(withOperation(ctx, op))
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, fmt.Errorf("intercom: %s: %w", op.name(), err)
	}
	if resp == nil {
		return nil, fmt.Errorf("intercom: %s: no response and no error", op.name())
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// A truncated body still makes a useful error, so the read error
		// is dropped here.
		body, _ := readBody(resp.Body, maxBodySize, resp.ContentLength)
		return nil, newError(resp, body, op, c.version.String())
	}
	if !keep {
		_, err := io.Copy(io.Discard, io.LimitReader(resp.Body, maxBodySize))
		return nil, err
	}
	body, err := readBody(resp.Body, maxBodySize, resp.ContentLength)
	if err != nil {
		if !errors.Is(err, ErrResponseTooLarge) {
			err = &bodyReadError{err}
			return nil, fmt.Errorf("intercom: %s: %w", op.name(), err)
		}
		return nil, fmt.Errorf("intercom: %s: reading response: %w", op.name(), err)
	}
	// The decoded value refers to the body's bytes, so it keeps the whole
	// buffer alive: no more of it than the body.
	return trimmed(body), nil
}

// readBody reads at most limit bytes; a longer body returns what was read
// and an error wrapping ErrResponseTooLarge. size is the announced length
// (Content-Length, -1 when unknown). Memory follows the bytes received, not
// the announcement: a buffer of the announced size is allocated up front
// only up to maxTrustedSize (which covers every ordinary page, instead of
// growing from 512 bytes through a dozen copies); beyond that it starts
// there and grows as bytes arrive, so a server announcing 64 MiB and
// sending 7 bytes costs maxTrustedSize, not 64 MiB.
func readBody(r io.Reader, limit int, size int64) ([]byte, error) {
	var buf bytes.Buffer
	switch {
	case size >= 0 && size <= maxTrustedSize:
		// MinRead spare bytes, so that reading the final EOF does not grow it.
		buf.Grow(int(size) + bytes.MinRead)
	case size > maxTrustedSize:
		buf.Grow(maxTrustedSize)
	}
	_, err := buf.ReadFrom(io.LimitReader(r, int64(limit)+1))
	data := buf.Bytes()
	if err != nil {
		return data, err
	}
	if len(data) > limit {
		return data[:limit], fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, limit)
	}
	return data, nil
}

// maxTrustedSize is the largest announced Content-Length that readBody
// allocates before the bytes arrive.
const maxTrustedSize = 1 << 20

// trimmed returns b in a slice of its own length when its buffer is much
// larger (a body that grew by doubling, or arrived shorter than
// announced), so that what is kept (an error's Body) holds no more memory
// than its bytes.
func trimmed(b []byte) []byte {
	if cap(b)-len(b) > max(len(b)/8, 4<<10) {
		return bytes.Clone(b)
	}
	return b
}

// decode reads small bodies that the facade itself parses (error lists)
// with encoding/json. Responses go through Core.decodeResponse instead.
func decode(data []byte, v any) error {
	return json.Unmarshal(data, v)
}
