package intercom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/apipin/intercom/internal/engine"
)

// A typed method in the default mode: the value arrives, the context's
// report gets the deviations with the operation's name, and the logger
// hears of each operation and path once, however many elements and calls
// repeat it.
func TestDoDecodesTolerantlyWithReportAndLog(t *testing.T) {
	e := newEnv(t, status(http.StatusOK, `{"type":"list","data":[{"id":1,"name":"a"},{"id":2,"name":"b"}]}`))
	ctx, report := WithDecodeReport(context.Background())
	op := &engine.Operation{ID: "listThings", Method: http.MethodGet, Path: "/things"}
	for range 2 {
		list, err := do[tList](ctx, e.core, op, nil, e.sender(http.MethodGet, "/things", ""))
		if err != nil {
			t.Fatal(err)
		}
		if len(*list.Data) != 2 || *(*list.Data)[1].ID != "2" {
			t.Fatalf("decoded %+v", *list.Data)
		}
	}
	devs := report.Deviations()
	if len(devs) != 4 {
		t.Fatalf("report %v, want 4 deviations (2 per call)", devs)
	}
	for _, d := range devs {
		if d.Operation != "listThings" || !strings.HasPrefix(d.Path, "$.data[") || d.Action != Coerced {
			t.Errorf("deviation %+v", d)
		}
	}
	if n := strings.Count(e.logs.String(), "response deviates from its schema"); n != 1 {
		t.Errorf("logged %d times, want once:\n%s", n, e.logs)
	}
	if !strings.Contains(e.logs.String(), "path=$.data[*].id") {
		t.Errorf("log does not name the path pattern:\n%s", e.logs)
	}
}

// Strict mode returns the error, naming the operation and the deviations;
// without an operationId, the method and path name the operation.
func TestDoStrictDecoding(t *testing.T) {
	e := newEnv(t, status(http.StatusOK, `{"id":1}`), WithStrictDecoding())
	op := &engine.Operation{Method: http.MethodGet, Path: "/things/{id}"}
	_, err := do[tItem](context.Background(), e.core, op, nil, e.sender(http.MethodGet, "/things/1", ""))
	var derr *DecodeError
	if !errors.As(err, &derr) {
		t.Fatalf("error %v, want a *DecodeError", err)
	}
	if !strings.HasPrefix(err.Error(), "intercom: GET /things/{id}: decoding response: ") {
		t.Errorf("message %q", err)
	}
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) || len(derr.Deviations) != 1 || derr.Deviations[0].Path != "$.id" {
		t.Errorf("error %v: want encoding/json's type error and the deviation at $.id", err)
	}
	if strings.Contains(e.logs.String(), "deviates") {
		t.Error("strict mode logged a deviation it did not tolerate")
	}
}

func TestOperationNameFallsBackToMethodAndPath(t *testing.T) {
	e := newEnv(t, dropConnection, DisableRetries())
	op := &engine.Operation{Method: http.MethodPost, Path: "/things"}
	_, err := do[tItem](context.Background(), e.core, op, nil, e.sender(http.MethodPost, "/things", "{}"))
	if err == nil || !strings.HasPrefix(err.Error(), "intercom: POST /things: ") {
		t.Errorf("error %v", err)
	}
}

// A body that is not JSON is an error in both modes.
func TestDoRejectsNonJSON(t *testing.T) {
	e := newEnv(t, status(http.StatusOK, `{"id":`))
	_, err := do[tItem](context.Background(), e.core, testOp, nil, e.sender(http.MethodGet, "/1", ""))
	var syntax *json.SyntaxError
	if !errors.As(err, &syntax) {
		t.Errorf("error %v, want encoding/json's syntax error", err)
	}
}

// flaky panics the first time it is decoded, as an engine bug would.
type flaky struct{ N int }

var flakyCalls atomic.Int32

func (f *flaky) UnmarshalJSON(b []byte) error {
	if flakyCalls.Add(1) == 1 {
		panic("engine bug")
	}
	return json.Unmarshal(b, &f.N)
}

func TestEnginePanicFallsBackToEncodingJSON(t *testing.T) {
	flakyCalls.Store(0)
	var v struct{ F flaky }
	if err := unmarshal([]byte(`{"F":3}`), &v); err != nil || v.F.N != 3 {
		t.Errorf("got %+v, %v", v, err)
	}
}

// The fast decode leaves no trace of a failed attempt: encoding/json
// decodes again from the zero value, and its error stands.
func TestFastFailureIsEncodingJSONs(t *testing.T) {
	in := []byte(`{"tags":["a"],"count":"x","id":"z"}`)
	var want, got tItem
	wantErr := json.Unmarshal(in, &want)
	gotErr := unmarshal(in, &got)
	if wantErr == nil || gotErr == nil || wantErr.Error() != gotErr.Error() {
		t.Fatalf("errors %v and %v", wantErr, gotErr)
	}
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	if string(w) != string(g) {
		t.Errorf("partial values differ: %s and %s", w, g)
	}
}

// Unmarshal copies its input: the caller may reuse the buffer.
func TestUnmarshalCopiesInput(t *testing.T) {
	in := []byte(`{"id":"abc"}`)
	var v tItem
	if err := unmarshal(in, &v); err != nil {
		t.Fatal(err)
	}
	copy(in, `{"id":"xyz"}`)
	if *v.ID != "abc" {
		t.Errorf("id changed with the input buffer: %q", *v.ID)
	}
}

func TestDeviationLogIsBounded(t *testing.T) {
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	l := &deviationLog{}
	for i := range maxLoggedPatterns + 10 {
		l.log(logger, []Deviation{{Operation: "op", pattern: fmt.Sprintf("$.k%d", i)}})
	}
	l.log(logger, []Deviation{{Operation: "op", pattern: "$.k0"}})
	if n := strings.Count(buf.String(), "\n"); n != maxLoggedPatterns {
		t.Errorf("%d lines logged, want %d", n, maxLoggedPatterns)
	}
}

func TestDecodeReportIsSafeForConcurrentCalls(t *testing.T) {
	e := newEnv(t, status(http.StatusOK, `{"id":1}`))
	ctx, report := WithDecodeReport(context.Background())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := do[tItem](ctx, e.core, testOp, nil, e.sender(http.MethodGet, "/1", "")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := len(report.Deviations()); n != 8 {
		t.Errorf("%d deviations, want 8", n)
	}
}
