package intercom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/apipin/intercom/internal/engine"
	"github.com/apipin/intercom/internal/paging"
)

// maxBodySize bounds how much of a response is read into memory.
const maxBodySize = 64 << 20

// do runs op through send and decodes a 2xx JSON body into a new T. An
// empty 2xx body (204, say) gives a pointer to the zero T. Any non-2xx
// answer gives an *Error.
func do[T any](ctx context.Context, c *core, op *engine.Operation, opts []CallOption, send engine.SendFunc) (*T, error) {
	v := new(T)
	if err := c.Call(ctx, op, opts, send, v); err != nil {
		return nil, err
	}
	return v, nil
}

// Call is what every generated method runs (through package gensupport):
// it sends op with send and decodes a 2xx JSON body into out, a pointer to
// a zero value, which an empty 2xx body (204, say) leaves as it is. Any
// non-2xx answer gives an *Error.
func (c *core) Call(ctx context.Context, op *engine.Operation, opts []CallOption, send engine.SendFunc, out any) error {
	body, err := c.call(ctx, op, opts, send, true)
	if err != nil {
		return err
	}
	// An iterator reads the paging members from the bytes the server sent:
	// the typed value may not hold one that arrived in another shape.
	paging.Record(ctx, body)
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	// The body is ours alone, as decodeResponse requires: the decoded
	// strings refer to it.
	if err := c.decodeResponse(ctx, op, body, out); err != nil {
		return fmt.Errorf("intercom: %s: decoding response: %w", op.Name(), err)
	}
	return nil
}

// CallEmpty runs an operation that has no JSON success body; a 2xx body is
// drained and discarded. Any non-2xx answer gives an *Error.
func (c *core) CallEmpty(ctx context.Context, op *engine.Operation, opts []CallOption, send engine.SendFunc) error {
	_, err := c.call(ctx, op, opts, send, false)
	return err
}

// CallBytes runs an operation whose success body is not JSON (a transcript
// in text/plain, say): it asks for accept and returns the 2xx body as sent.
// Any non-2xx answer gives an *Error.
func (c *core) CallBytes(ctx context.Context, op *engine.Operation, accept string, opts []CallOption, send engine.SendFunc) ([]byte, error) {
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
func (c *core) call(ctx context.Context, op *engine.Operation, opts []CallOption, send engine.SendFunc, keep bool) ([]byte, error) {
	if c == nil || op == nil || send == nil {
		return nil, errors.New("intercom: a call needs a client, an operation and a send function")
	}
	ctx, cancel, err := applyCallOptions(ctx, opts)
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("intercom: %s: %w", op.Name(), err)
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
			isConnectionError(readErr.err) && !isTimeout(readErr.err) && ctx.Err() == nil {
			continue
		}
		return body, err
	}
}

// isTimeout reports a read that ran out of time (http.Client.Timeout, a
// deadline): the connection did not drop, so reading again would only
// wait again. It also closes the race between http.Client.Timeout and the
// whole-call deadline above, which expire together.
func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// bodyReadError is a 2xx body that could not be read to its end.
type bodyReadError struct{ err error }

func (e *bodyReadError) Error() string { return "reading response: " + e.err.Error() }
func (e *bodyReadError) Unwrap() error { return e.err }

func (c *core) callOnce(ctx context.Context, op *engine.Operation, send engine.SendFunc, keep bool) ([]byte, error) {
	resp, err := send(withOperation(ctx, op))
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, fmt.Errorf("intercom: %s: %w", op.Name(), err)
	}
	if resp == nil {
		return nil, fmt.Errorf("intercom: %s: no response and no error", op.Name())
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
			return nil, fmt.Errorf("intercom: %s: %w", op.Name(), err)
		}
		return nil, fmt.Errorf("intercom: %s: reading response: %w", op.Name(), err)
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
