package intercom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/apipin/intercom/internal/engine"
	"github.com/apipin/intercom/internal/jsondec"
	"github.com/apipin/intercom/internal/rawjson"
)

// Response decoding, shared by every version package. Two steps:
//
//  1. The strict fast decode: internal/jsondec, which gives encoding/json's
//     value whenever it succeeds and gives up on whatever it does not
//     handle exactly as encoding/json does (docs/decoding.md has the
//     measurements and the differential tests behind that claim). Whenever
//     it fails, or panics, encoding/json decodes the body again from a
//     zero value, so an error, and anything encoding/json would still
//     accept, is exactly encoding/json's. A shape check then looks for the deviations that
//     encoding/json accepts silently (see check.go).
//  2. Only when step 1 finds a deviation, and the Core is not strict, the
//     tolerant pass (tolerant.go) repairs the body and reports what it did.

// fastUnmarshal decodes data into v, a pointer to a zero value. The strings
// in v refer to data instead of copies (one allocation per string saved),
// so data must never be modified afterwards: callers pass a body that
// nothing else holds.
func fastUnmarshal(data []byte, v any) error {
	if err := engineUnmarshal(data, v); err != nil {
		if err := stdUnmarshal(data, v); err != nil {
			return err
		}
		attachMembers(v, data)
	}
	return nil
}

// errEnginePanic stands for a panic of the engine, which encoding/json then
// replaces.
var errEnginePanic = errors.New("intercom: decoding engine panicked")

// engineUnmarshal is the fast engine alone.
func engineUnmarshal(data []byte, v any) error {
	_, err := engineUnmarshalNotes(data, v, 0, nil)
	return err
}

// engineUnmarshalNotes is the fast engine alone, with what it noted that
// encoding/json accepts without a word (nulls the description does not
// allow, enum values it does not list), each recorded in rec when not nil.
// items are the levels of the body's own elements that take no null
// (rootItems), 0 for most bodies.
func engineUnmarshalNotes(data []byte, v any, items uint32, rec *jsondec.Record) (notes jsondec.Notes, err error) {
	defer func() {
		if recover() != nil {
			err = errEnginePanic
		}
	}()
	notes.RecordIn(rec)
	err = jsondec.UnmarshalItemsNotes(data, v, items, &notes)
	return notes, err
}

// stdUnmarshal is encoding/json from a zero value: the fast engine may have
// filled part of v before it failed.
func stdUnmarshal(data []byte, v any) error {
	resetValue(v)
	return json.Unmarshal(data, v)
}

// resetValue sets what v points to back to its zero value.
func resetValue(v any) {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv.Elem().SetZero()
	}
}

// Unmarshal decodes data into v, which should point to a zero value, with
// the engine of the first, strict step of response decoding: the value, or
// the error, is the one encoding/json gives, obtained faster. data is
// copied first, so the caller may reuse it.
func unmarshal(data []byte, v any) error {
	return fastUnmarshal(bytes.Clone(data), v)
}

// UnmarshalTolerant decodes data into v, which should point to a zero
// value, the way typed methods decode a response by default: strictly when
// the body fits v, else tolerantly, returning what was coerced or dropped.
// It fails only on a body that is not JSON, on one whose top level is of
// another kind than v takes (ErrWrongShape: "OK" for an object), or on a v
// that is not a non-nil pointer. data is copied first, so the caller may reuse it.
func unmarshalTolerant(data []byte, v any) ([]Deviation, error) {
	return decodeBody(bytes.Clone(data), v, false, 0)
}

// rootItems are the levels of the arrays and maps that op's success body
// itself is whose null elements are reported (jsondec.ItemsNonNull's bit
// set, from the descriptor's NullableItems): what a struct field's
// nullableitems tag says of the value it holds, for the body that no field
// holds. 0 for a body that is an object, as nearly all are.
func rootItems(op *engine.Operation) uint32 {
	if op.NullableItems == "" {
		return 0
	}
	return jsondec.ItemLevels(op.NullableItems)
}

// decodeBody is the two-step decode of an owned body; items are the levels
// of the body's own elements that take no null (rootItems).
func decodeBody(data []byte, v any, strict bool, items uint32) ([]Deviation, error) {
	rec := records.Get().(*jsondec.Record)
	defer putRecord(rec)
	notes, err := engineUnmarshalNotes(data, v, items, rec)
	if err != nil {
		notes = jsondec.Notes{Nulls: 1} // the engine stopped early: look everywhere
		if !strict && json.Valid(data) && reflect.TypeOf(v) != nil && reflect.TypeOf(v).Kind() == reflect.Pointer {
			// The tolerant pass ends with the fast decode and its
			// fallback, so a body that encoding/json accepts as it is
			// comes out as encoding/json decodes it, with no deviation.
			resetValue(v)
			devs, err := decodeTolerant(data, v, items)
			// The members as received, not as repaired: a value of the
			// wrong type stays reachable, and is written back.
			attachMembers(v, data)
			if err == nil {
				err = wholeBodyDropped(devs)
			}
			if err != nil {
				return devs, &DecodeError{Deviations: devs, Err: err}
			}
			return devs, nil
		}
		if err := stdUnmarshal(data, v); err != nil {
			if !json.Valid(data) {
				return nil, err // not JSON: nothing to tolerate or report
			}
			if _, ok := err.(*json.InvalidUnmarshalError); ok {
				return nil, err
			}
			r := &repairer{items: items}
			r.value(reflect.TypeOf(v).Elem(), rawjson.Trim(data), true)
			return nil, &DecodeError{Deviations: r.devs, Err: err}
		}
		// encoding/json accepted what the engine refused: its value stands.
		attachMembers(v, data)
	}
	devs := checkShape(data, v, !strict)
	if notes.Any() {
		if err == nil {
			devs, _ = notedAt(devs, data, v, items, notes, rec.At)
		} else {
			devs = append(devs, noted(data, v, items)...)
		}
	}
	if strict && len(devs) > 0 {
		return nil, &DecodeError{Deviations: devs}
	}
	return devs, nil
}

// noted finds where the nulls and enum values that the engine noted are in
// data, decoded into v: the tolerant pass's walk, keeping only those two
// deviations (the others were checked by the strict decode and the shape
// check). It runs only when the engine noted something. items are the
// body's own levels (rootItems).
func noted(data []byte, v any, items uint32) []Deviation {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return nil
	}
	r := &repairer{items: items}
	r.value(t.Elem(), rawjson.Trim(data), true)
	var out []Deviation
	for _, d := range r.devs {
		if d.Action == NullToZero || d.Action == Unlisted {
			out = append(out, d)
		}
	}
	return out
}

// ErrWrongShape is wrapped by the DecodeError of a 2xx body whose JSON is
// of another kind than the operation's result ("OK", 123 or [] where an
// object is expected): the typed value would be empty, and an empty value
// must not pass for an answer. The deviations stay in the DecodeError and
// in the call's decode report.
var ErrWrongShape = errors.New("response body is not of the kind its type takes")

// wholeBodyDropped is the error for a tolerant decode that had to drop the
// body itself, or nil.
func wholeBodyDropped(devs []Deviation) error {
	for _, d := range devs {
		if d.Path == "$" && d.Action == Dropped {
			return fmt.Errorf("%w: expected %s, found %s", ErrWrongShape, d.Expected, d.Found)
		}
	}
	return nil
}

// checkShape looks for what encoding/json accepted silently (see check.go)
// in v, just decoded from data. With fix set, a list found under another
// key is decoded into its field.
func checkShape(data []byte, v any, fix bool) []Deviation {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil
	}
	rv = rv.Elem()
	plan := planFor(rv.Type())
	if plan.node == nil && plan.list == nil {
		return nil
	}
	var r repairer
	if plan.node != nil {
		plan.node.checkValue(rv, &r)
	}
	if plan.list != nil && rv.Kind() == reflect.Struct {
		if lv, ok := fieldByIndex(rv, plan.list.field.index); ok && lv.IsZero() && kindOf(data) == kindObject {
			// The list field is absent: rewrite the body as the tolerant
			// pass would and see whether items were found elsewhere.
			t := &repairer{}
			t.object(rv.Type(), rawjson.Trim(data), true)
			if moved := movedItems(t.devs); moved != nil {
				r.devs = append(r.devs, moved...)
				if fix {
					resetValue(v)
					_ = json.Unmarshal(t.out, v) // t.out fits, as the strict decode of data did
					attachMembers(v, data)
				}
			}
		}
	}
	return r.devs
}

// movedItems returns the Moved deviation of devs, with what was found
// within the moved items, or nil.
func movedItems(devs []Deviation) []Deviation {
	for _, d := range devs {
		if d.Action != Moved {
			continue
		}
		var out []Deviation
		for _, e := range devs {
			if e.Path == d.Path || strings.HasPrefix(e.Path, d.Path+"[") || strings.HasPrefix(e.Path, d.Path+".") {
				out = append(out, e)
			}
		}
		return out
	}
	return nil
}

// Reports and logs.

type decodeReportKey struct{}

// DecodeReport collects the deviations found by tolerant decoding in the
// calls made with a context from WithDecodeReport. It is safe for
// concurrent use.
type DecodeReport struct {
	mu   sync.Mutex
	devs []Deviation
}

// WithDecodeReport returns a context whose calls (including every page of
// an iterator) add what tolerant decoding coerced or dropped to the
// returned report, so that typed methods keep their (*T, error) results.
func WithDecodeReport(ctx context.Context) (context.Context, *DecodeReport) {
	r := &DecodeReport{}
	return context.WithValue(ctx, decodeReportKey{}, r), r
}

// Deviations returns a copy of what was recorded so far, in call order.
func (r *DecodeReport) Deviations() []Deviation {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Deviation(nil), r.devs...)
}

func (r *DecodeReport) add(devs []Deviation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.devs = append(r.devs, devs...)
}

// maxLoggedPatterns bounds the memory a Core spends remembering which
// deviations it logged: paths are generalised, but map keys come from the
// server.
const maxLoggedPatterns = 4096

// deviationLog logs each deviation once per operation and path pattern.
type deviationLog struct {
	seen  sync.Map // operation + " " + pattern -> struct{}
	count atomic.Int64
}

func (l *deviationLog) log(logger *slog.Logger, devs []Deviation) {
	for _, d := range devs {
		key := d.Operation + " " + d.pattern
		if _, ok := l.seen.Load(key); ok || l.count.Load() >= maxLoggedPatterns {
			continue
		}
		if _, loaded := l.seen.LoadOrStore(key, struct{}{}); loaded {
			continue
		}
		l.count.Add(1)
		logger.Warn("intercom: response deviates from its schema; decoded tolerantly",
			slog.String("operation", d.Operation), slog.String("path", d.pattern),
			slog.String("expected", d.Expected), slog.String("found", d.Found),
			slog.String("action", string(d.Action)))
	}
}

// decodeResponse decodes an owned 2xx body for op, honouring the Core's
// strictness, the context's report and the logger.
func (c *core) decodeResponse(ctx context.Context, op *engine.Operation, body []byte, v any) error {
	devs, err := decodeBody(body, v, c.strict, rootItems(op))
	if len(devs) == 0 {
		return err
	}
	name := op.Name()
	for i := range devs {
		devs[i].Operation = name
	}
	if r, ok := ctx.Value(decodeReportKey{}).(*DecodeReport); ok {
		r.add(devs)
	}
	c.deviations.log(c.logger, devs)
	return err
}
