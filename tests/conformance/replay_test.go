package conformance

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Replaying Prism's answers (make test on a warm machine; never in CI).
//
// Prism's answer to a request is a function of the request's bytes, of the
// document it serves and of Prism itself: it answers from the spec's
// static examples (--dynamic=false) and validates the request against the
// document. With -prism-replay DIR, TestConformance keeps every request
// each version sent and the answer Prism gave, and when the whole test
// passed it writes them to DIR/VERSION.json under a key: the document
// served (the repaired spec, byte for byte), Prism's tree (the lock npm
// installed it from), Prism's flags, and the Node that runs it (path,
// size, time, version). A later run with the same key answers a request
// that is byte for byte one of those (method, URL, every header the client
// set, body) from the record instead of sending it, and starts Prism only
// for the first request it has no record of. Everything else runs as
// against Prism: the answer goes through the client under test (decoding,
// errors), and every check of the call (the wire, Prism's violations in
// the answer, kin-openapi's second opinion on the request) runs on it.
//
// So a run after an edit of the library that leaves the requests as they
// were (most edits) needs no Prism at all, and one that changes some
// requests sends those to Prism. make test passes -prism-replay except
// with FRESH=1, which is what CI runs: CI always talks to Prism, as does
// make conformance.
var replayDir = flag.String("prism-replay", "", "answer requests that are byte for byte one of the last passing run's from "+
	"that run's record in this directory (same spec document, Prism and Node), and write this run's record there when it passes")

// replayFormat names the record's layout and what the key covers; change it
// when either changes.
const replayFormat = "intercom conformance prism-replay 1"

// clientHost is the address the clients are given. The recorder sends each
// request to Prism's real address (or answers it from the record), so a
// request's bytes are the same in every run, whatever port Prism got. Port
// 9 (discard) on loopback: nothing is ever dialled there.
const clientHost = "127.0.0.1:9"

// recordedAnswer is Prism's answer to one request, as the transport
// returned it.
type recordedAnswer struct {
	Status        int         `json:"status"`
	Proto         string      `json:"proto"`
	Header        http.Header `json:"header"`
	Body          []byte      `json:"body"`
	ContentLength int64       `json:"content_length"`
	Uncompressed  bool        `json:"uncompressed"`
}

// replayRecord is the content of DIR/VERSION.json.
type replayRecord struct {
	Format  string                    `json:"format"`
	Key     string                    `json:"key"`
	Answers map[string]recordedAnswer `json:"answers"` // by requestHash
}

// replayer answers the requests of one version from the last passing run
// and records this run's.
type replayer struct {
	file  string
	key   string
	known map[string]recordedAnswer // the last passing run's (read only)

	mu   sync.Mutex
	seen map[string]recordedAnswer // this run's: replayed or from Prism

	replayed, live atomic.Int64
}

// openReplayer reads the version's record when its key matches. It returns
// nil when -prism-replay is not given or Prism is not the project's tree
// (scripts/install-prism.sh: the lock says what is installed); a missing or
// stale record gives a replayer that knows no answer yet.
func openReplayer(version string, doc []byte, bin string) (*replayer, error) {
	if *replayDir == "" {
		return nil, nil
	}
	key, ok, err := replayKey(doc, bin)
	if err != nil || !ok {
		return nil, err
	}
	rp := &replayer{
		file: filepath.Join(*replayDir, version+".json"),
		key:  key,
		seen: map[string]recordedAnswer{},
	}
	data, err := os.ReadFile(rp.file)
	if errors.Is(err, fs.ErrNotExist) {
		return rp, nil
	}
	if err != nil {
		return nil, err
	}
	var rec replayRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("%s: %w (delete it)", rp.file, err)
	}
	if rec.Format == replayFormat && rec.Key == key {
		rp.known = rec.Answers
	}
	return rp, nil
}

// replayKey hashes what Prism's answers depend on besides the request.
// ok is false when bin is not in a tree installed from a lock.
func replayKey(doc []byte, bin string) (key string, ok bool, err error) {
	// bin is TREE/node_modules/.bin/prism.
	tree := filepath.Dir(filepath.Dir(filepath.Dir(bin)))
	lock, err := os.ReadFile(filepath.Join(tree, "package-lock.json"))
	if errors.Is(err, fs.ErrNotExist) || filepath.Base(filepath.Dir(filepath.Dir(bin))) != "node_modules" {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	// Prism's launcher runs the node found on PATH.
	node, err := exec.LookPath("node")
	if err != nil {
		return "", false, err
	}
	real, err := filepath.EvalSymlinks(node)
	if err != nil {
		return "", false, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", false, err
	}
	version, err := exec.Command(node, "--version").Output()
	if err != nil {
		return "", false, fmt.Errorf("node --version: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\nflags %q\nnode %s %d %d %s\nlock %x\ndoc %x\n", replayFormat, prismFlags, real, fi.Size(),
		fi.ModTime().UnixNano(), bytes.TrimSpace(version), sha256.Sum256(lock), sha256.Sum256(doc))
	return hex.EncodeToString(h.Sum(nil)), true, nil
}

// requestHash identifies a request by everything the client put in it:
// method, URL, Host, every header and the body. ok is false for a body
// that cannot be read again (none here: the client buffers bodies).
func requestHash(req *http.Request) (hash string, body []byte, ok bool) {
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return "", nil, false
		}
		b, err := req.GetBody()
		if err != nil {
			return "", nil, false
		}
		body, err = io.ReadAll(b)
		b.Close()
		if err != nil {
			return "", nil, false
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\nhost %q\n", req.Method, req.URL.String(), req.Host)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range req.Header {
			if !yield(k) {
				return
			}
		}
	}) {
		fmt.Fprintf(h, "%s: %q\n", k, req.Header[k])
	}
	fmt.Fprintf(h, "body %d\n", len(body))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil)), body, true
}

// answer returns the recorded answer to a request with this hash, if any.
func (rp *replayer) answer(hash string, req *http.Request) (*http.Response, bool) {
	a, ok := rp.known[hash]
	if !ok {
		return nil, false
	}
	rp.note(hash, a)
	rp.replayed.Add(1)
	return a.response(req), true
}

// note keeps an answer for this run's record.
func (rp *replayer) note(hash string, a recordedAnswer) {
	rp.mu.Lock()
	rp.seen[hash] = a
	rp.mu.Unlock()
}

func (a recordedAnswer) response(req *http.Request) *http.Response {
	major, minor, _ := http.ParseHTTPVersion(a.Proto)
	return &http.Response{
		Status:     fmt.Sprintf("%d %s", a.Status, http.StatusText(a.Status)),
		StatusCode: a.Status, Proto: a.Proto, ProtoMajor: major, ProtoMinor: minor,
		Header: a.Header.Clone(), Body: io.NopCloser(bytes.NewReader(a.Body)),
		ContentLength: a.ContentLength, Uncompressed: a.Uncompressed, Request: req,
	}
}

// record reads Prism's answer, keeps it, and returns a response that
// reads the same.
func (rp *replayer) record(hash string, resp *http.Response) (*http.Response, error) {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rp != nil && hash != "" {
		rp.note(hash, recordedAnswer{Status: resp.StatusCode, Proto: resp.Proto, Header: resp.Header.Clone(),
			Body: body, ContentLength: resp.ContentLength, Uncompressed: resp.Uncompressed})
		rp.live.Add(1)
	}
	return resp, nil
}

// save writes this run's record, replacing the last one.
func (rp *replayer) save() error {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	data, err := json.Marshal(replayRecord{Format: replayFormat, Key: rp.key, Answers: rp.seen})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(rp.file), 0o755); err != nil {
		return err
	}
	tmp := rp.file + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, rp.file)
}

// summary says how many answers came from where, for the test's output.
func (rp *replayer) summary() string {
	if rp == nil {
		return "every answer from Prism"
	}
	return fmt.Sprintf("%d answers replayed from %s, %d from Prism", rp.replayed.Load(),
		strings.TrimPrefix(rp.file, *replayDir+string(filepath.Separator)), rp.live.Load())
}
