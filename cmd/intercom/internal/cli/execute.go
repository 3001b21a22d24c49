package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/apipin/intercom/cmd/intercom/internal/ops"
)

// execute sends r (or, with --dry-run, prints it) and writes the answer.
func execute(ctx context.Context, o *options, env *Env, v *ops.Version, r *request, all bool) error {
	if all && r.op.Paging == nil {
		return usagef("%s %s does not page: --all does not apply", r.op.Group, r.op.Command)
	}
	cfg := clientConfig{version: v.Name, region: o.region, baseURL: o.baseURL}
	if cfg.region == "" {
		cfg.region = strings.ToLower(env.Getenv("INTERCOM_REGION"))
	}
	if o.fake {
		if o.baseURL != "" {
			return usagef("--fake and --base-url do not go together")
		}
		fk, err := startFake(o.fakeContacts)
		if err != nil {
			return err
		}
		defer fk.close()
		cfg.baseURL, cfg.token, cfg.region = fk.url, fk.token, ""
	} else {
		tok, err := token(o, env)
		if err != nil && !o.dryRun {
			return err
		}
		cfg.token = tok
	}

	var capture *captureTransport
	if o.dryRun {
		if cfg.token == "" {
			cfg.token = "dry-run" // never sent, and masked when printed
		}
		capture = &captureTransport{}
		cfg.httpClient = &http.Client{Transport: capture}
	}

	var prog *progress
	if all && env.StderrTTY && !o.dryRun {
		prog = newProgress(env.Stderr, env.Now)
	}
	var hookMu sync.Mutex
	cfg.onResponse = func(ri responseInfo) {
		prog.response(ri)
		if o.verbose && !o.dryRun {
			hookMu.Lock()
			defer hookMu.Unlock()
			printResponse(env.Stderr, ri, prog != nil)
		}
	}

	c, err := newClient(cfg)
	if err != nil {
		return usagef("%v", strings.TrimPrefix(err.Error(), "intercom: "))
	}

	if all {
		err := streamAll(ctx, c, r, env.Stdout, prog)
		prog.done()
		if capture != nil {
			return capture.print(env.Stdout)
		}
		if err != nil {
			return &runError{err}
		}
		return nil
	}
	data, err := r.send(ctx, c, nil, nil)
	if capture != nil {
		return capture.print(env.Stdout)
	}
	if err != nil {
		return &runError{err}
	}
	return writeBody(env.Stdout, data, r.op.Accept == "application/json", env.StdoutTTY)
}

// token reads the access token: --token-file, else INTERCOM_TOKEN.
func token(o *options, env *Env) (string, error) {
	if o.tokenFile != "" {
		b, err := os.ReadFile(o.tokenFile)
		if err != nil {
			return "", &authError{fmt.Sprintf("--token-file: %v", err)}
		}
		t := strings.TrimSpace(string(b))
		if t == "" {
			return "", &authError{"--token-file: the file is empty"}
		}
		return t, nil
	}
	if t := env.Getenv("INTERCOM_TOKEN"); t != "" {
		return t, nil
	}
	return "", &authError{"no access token: set INTERCOM_TOKEN or give --token-file (or use --fake)"}
}

// writeBody writes a single answer: JSON indented for a terminal and
// compact otherwise; any other body as it came.
func writeBody(w io.Writer, data []byte, isJSON, tty bool) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	var buf bytes.Buffer
	switch {
	case isJSON && tty && json.Indent(&buf, data, "", "  ") == nil:
	case isJSON && !tty && json.Compact(&buf, data) == nil:
	default:
		buf.Reset()
		buf.Write(data)
	}
	if !bytes.HasSuffix(buf.Bytes(), []byte("\n")) {
		buf.WriteByte('\n')
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// printResponse is -v's line for each attempt.
func printResponse(w io.Writer, ri responseInfo, clearLine bool) {
	prefix := ""
	if clearLine {
		prefix = "\r\x1b[K"
	}
	s := fmt.Sprintf("%s< %s %s attempt %d: ", prefix, ri.method, ri.url, ri.attempt)
	if ri.status == 0 {
		s += "no response: " + ri.transportErrorMsg
	} else {
		s += fmt.Sprintf("%d %s", ri.status, http.StatusText(ri.status))
	}
	s += fmt.Sprintf(" in %s", ri.duration.Round(1e6))
	if ri.requestID != "" {
		s += ", request id " + ri.requestID
	}
	if ri.rateKnown {
		s += fmt.Sprintf(", rate limit %d/%d left, resets %s", ri.remaining, ri.limit, ri.reset.UTC().Format("15:04:05Z"))
	}
	fmt.Fprintln(w, s)
}

// captureTransport stands where the network would be for --dry-run: it
// records the requests the library's core made (auth, version header and
// all) and answers each with an empty 200.
type captureTransport struct {
	mu   sync.Mutex
	reqs []capturedRequest
}

type capturedRequest struct {
	method, url string
	header      http.Header
	body        []byte
}

func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	t.mu.Lock()
	t.reqs = append(t.reqs, capturedRequest{method: req.Method, url: req.URL.String(), header: req.Header.Clone(), body: body})
	t.mu.Unlock()
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), ContentLength: 0, Request: req,
	}, nil
}

// print writes each recorded request as a curl command. The token is never
// printed: the Authorization header reads $INTERCOM_TOKEN instead, so the
// command still runs where that variable is set.
func (t *captureTransport) print(w io.Writer) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.reqs {
		var b strings.Builder
		fmt.Fprintf(&b, "curl -X %s %s", r.method, shellQuote(r.url))
		keys := make([]string, 0, len(r.header))
		for k := range r.header {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, v := range r.header[k] {
				if k == "Authorization" {
					b.WriteString(` \` + "\n  -H \"Authorization: Bearer $INTERCOM_TOKEN\"")
					continue
				}
				b.WriteString(" \\\n  -H " + shellQuote(k+": "+v))
			}
		}
		if len(r.body) > 0 {
			b.WriteString(" \\\n  --data-binary " + shellQuote(string(r.body)))
		}
		b.WriteString("\n")
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
