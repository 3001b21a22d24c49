package cli

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/apipin/intercom/cmd/intercom/internal/ops"
)

// sample is a value of the parameter's type; n varies it between
// parameters. Strings carry a space and a slash, so that escaping is
// checked too.
func sample(p ops.Param, n int) string {
	t := p.Type
	if t == "array" {
		t = p.Items
	}
	switch {
	case len(p.Enum) > 0:
		return p.Enum[n%len(p.Enum)]
	case t == "integer":
		return fmt.Sprint(40 + n)
	case t == "number":
		return fmt.Sprintf("%d.5", n)
	case t == "boolean":
		return "true"
	}
	return fmt.Sprintf("%s %d/x", p.Name, n)
}

// TestEveryOperation runs every operation of every version through the
// command against a loopback server that records what it receives, and
// checks the method, the path (escaped), the query, the headers and the
// body. Every declared parameter is given, arrays with two values.
func TestEveryOperation(t *testing.T) {
	rec := newRecorder(t)
	vars := map[string]string{"INTERCOM_TOKEN": "tok-every-op"}
	count := 0
	for _, v := range ops.Versions() {
		for i := range v.Ops {
			op := &v.Ops[i]
			name := v.Name + " " + op.Group + " " + op.Command
			args := []string{"--version", v.Name, "--base-url", rec.srv.URL, op.Group, op.Command}
			wantPath := op.Path
			for n, p := range op.PathParams() {
				val := sample(p, n)
				args = append(args, val)
				wantPath = strings.Replace(wantPath, "{"+p.Name+"}", url.PathEscape(val), 1)
			}
			wantQuery := url.Values{}
			wantHeader := map[string]string{}
			for n, p := range op.OptionParams() {
				val := sample(p, n)
				switch {
				case p.Type == "object":
					val = fmt.Sprintf(`{"%s_key":"v %d"}`, p.Name, n)
					wantQuery.Add(p.Name+"_key", fmt.Sprintf("v %d", n))
				case p.In == "query":
					wantQuery.Add(p.Name, val)
				default:
					wantHeader[p.Name] = val
				}
				args = append(args, "--param", p.Name+"="+val)
				if p.Type == "array" {
					args = append(args, "--param", p.Name+"="+val)
					wantQuery.Add(p.Name, val)
				}
			}
			var wantBody string
			if op.Body != nil {
				if isJSONType(op.Body.ContentType) {
					wantBody = fmt.Sprintf(`{"probe":%q}`, name)
				} else {
					wantBody = "--b\r\nContent-Disposition: form-data; name=\"probe\"\r\n\r\n" + name + "\r\n--b--\r\n"
					args = append(args, "--content-type", op.Body.ContentType+"; boundary=b")
				}
				args = append(args, "--body", wantBody)
			}

			res := run(t, vars, "", args...)
			if res.code != 0 {
				t.Errorf("%s: exit %d: %s", name, res.code, res.stderr)
				rec.take()
				continue
			}
			got := rec.take()
			if len(got) != 1 {
				t.Errorf("%s: %d requests sent, want 1", name, len(got))
				continue
			}
			r := got[0]
			if r.Method != op.Method || r.Path != wantPath {
				t.Errorf("%s: sent %s %s, want %s %s", name, r.Method, r.Path, op.Method, wantPath)
			}
			q, err := url.ParseQuery(r.RawQuery)
			if err != nil || !reflect.DeepEqual(q, wantQuery) && !(len(q) == 0 && len(wantQuery) == 0) {
				t.Errorf("%s: query %q, want %q", name, r.RawQuery, wantQuery.Encode())
			}
			for k, want := range wantHeader {
				if got := r.Header.Get(k); got != want {
					t.Errorf("%s: header %s = %q, want %q", name, k, got, want)
				}
			}
			if _, declared := wantHeader["Accept"]; !declared && r.Header.Get("Accept") != op.Accept {
				t.Errorf("%s: Accept %q, want %q", name, r.Header.Get("Accept"), op.Accept)
			}
			if string(r.Body) != wantBody {
				t.Errorf("%s: body %q, want %q", name, r.Body, wantBody)
			}
			if op.Body != nil && !strings.HasPrefix(r.Header.Get("Content-Type"), op.Body.ContentType) {
				t.Errorf("%s: Content-Type %q, want %s", name, r.Header.Get("Content-Type"), op.Body.ContentType)
			}
			if r.Header.Get("Intercom-Version") != v.Name || r.Header.Get("Authorization") != "Bearer tok-every-op" {
				t.Errorf("%s: Intercom-Version %q, Authorization %q", name, r.Header.Get("Intercom-Version"), r.Header.Get("Authorization"))
			}
			if res.stdout != "{}\n" {
				t.Errorf("%s: stdout %q, want the answer", name, res.stdout)
			}
			count++
		}
	}
	if count != 1570 {
		t.Errorf("%d operations passed; the pinned versions have 1,570", count)
	}
}
