package intercomtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// apiError is a failure a handler reports; it becomes one entry of an
// error.list body.
type apiError struct {
	status  int
	code    string
	message string
	field   string
}

func errf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// on names the request field or parameter the error is about.
func (e *apiError) on(field string) *apiError {
	e.field = field
	return e
}

type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

type wireErrorList struct {
	Type      string      `json:"type"`
	RequestID string      `json:"request_id"`
	Errors    []wireError `json:"errors"`
}

// writeError sends the error.list shape every Intercom failure uses; its
// request_id repeats the X-Request-Id header so logs can be matched up.
func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, wireErrorList{
		Type:      "error.list",
		RequestID: w.Header().Get(requestIDHeader),
		Errors:    []wireError{{Code: e.code, Message: e.message, Field: e.field}},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only a bug in this package can get here; say so rather than send half a body.
		status = http.StatusInternalServerError
		b, _ = json.Marshal(wireErrorList{
			Type:      "error.list",
			RequestID: w.Header().Get(requestIDHeader),
			Errors:    []wireError{{Code: "server_error", Message: "intercomtest could not encode its answer: " + err.Error()}},
		})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// writeBytes sends an encoded JSON body.
func writeBytes(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// decodeBody reads a JSON object into v. Numbers inside free-form maps stay
// json.Number so custom attributes come back exactly as they were sent.
func decodeBody(body []byte, v any) *apiError {
	if len(bytes.TrimSpace(body)) == 0 {
		return errf(http.StatusBadRequest, "bad_request", "the request needs a JSON object body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			if typeErr.Field == "" {
				return errf(http.StatusBadRequest, "bad_request", "the request body must be a JSON object")
			}
			return errf(http.StatusBadRequest, "parameter_invalid",
				"%s cannot be a JSON %s", typeErr.Field, typeErr.Value).on(typeErr.Field)
		}
		return errf(http.StatusBadRequest, "bad_request", "the request body is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errf(http.StatusBadRequest, "bad_request", "the request body has data after the JSON value")
	}
	return nil
}

// intParam reads an optional integer query parameter and checks its range.
func intParam(q url.Values, name string, def, lo, hi int) (int, *apiError) {
	raw := q.Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, errf(http.StatusBadRequest, "parameter_invalid",
			"%s must be a whole number from %d to %d, got %q", name, lo, hi, raw).on(name)
	}
	return n, nil
}
