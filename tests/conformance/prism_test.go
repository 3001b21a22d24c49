package conformance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apipin/intercom/gen/specdoc"
)

const (
	// envPrism names a Prism executable to use instead of the project's.
	envPrism = "INTERCOM_PRISM"
	// envSkipPrism=1 is the only way to skip the Prism suites: without it
	// a missing Prism fails them, so CI cannot skip them silently.
	envSkipPrism = "INTERCOM_SKIP_PRISM"
	// localPrism is where scripts/install-prism.sh installs the pinned
	// Prism, relative to this package's directory.
	localPrism = "../../.tools/prism/node_modules/.bin/prism"
	// prismStartTimeout bounds Prism's start: parsing the largest spec
	// takes a few seconds on a busy two-core machine.
	prismStartTimeout = 3 * time.Minute
	// prismListening is the line Prism prints once it accepts requests.
	prismListening = "Prism is listening on "
)

// prismPath finds the Prism executable, or fails (or skips, when asked
// to explicitly) the test.
func prismPath(t *testing.T) string {
	t.Helper()
	if os.Getenv(envSkipPrism) == "1" {
		t.Skipf("%s=1: the Prism conformance suite is skipped", envSkipPrism)
	}
	candidates := []string{os.Getenv(envPrism), localPrism}
	if p, err := exec.LookPath("prism"); err == nil {
		candidates = append(candidates, p)
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() {
			abs, err := filepath.Abs(c)
			if err != nil {
				t.Fatal(err)
			}
			return abs
		}
	}
	t.Fatalf("Prism not found (looked at $%s, %s and PATH): run scripts/install-prism.sh, "+
		"or set %s=1 to skip the conformance suite deliberately", envPrism, localPrism, envSkipPrism)
	return ""
}

// prismServer is one running `prism mock` process.
type prismServer struct {
	URL string
	out *tail // the end of its output, for failure messages
}

// startPrism writes the version's repaired spec (examples kept), data, to a temporary
// file and serves it with Prism on a free loopback port, answering from the
// spec's static examples. Prism validates every request (an invalid one
// gets a 4xx and its violations in the sl-violations header) and every
// answer it gives (violations in the same header).
//
// It runs without --errors: that flag turns an example that breaks its
// own schema into a 500, so the client would never see the answer; here it
// gets the example and must decode it, and the violations are counted.
// Invalid requests get a 4xx either way.
//
// The process group is killed when the test ends, whether it passed or not.
func startPrism(t *testing.T, bin string, d *specdoc.Doc, data []byte) (*prismServer, error) {
	file := filepath.Join(t.TempDir(), "intercom-"+d.Version+".json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return nil, err
	}
	// A port found free can be taken before Prism binds it; try again.
	for attempt := 1; ; attempt++ {
		p, err := launchPrism(t, bin, file)
		if err == nil {
			return p, nil
		}
		if attempt == 3 || !strings.Contains(err.Error(), "EADDRINUSE") {
			return nil, fmt.Errorf("Prism cannot serve the %s spec: %v", d.Version, err)
		}
	}
}

// prismFlags are the flags of `prism mock` besides the address and the file
// (they are part of the replay key).
var prismFlags = []string{"--dynamic=false"}

func launchPrism(t *testing.T, bin, file string) (*prismServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := append([]string{"mock", "--host", "127.0.0.1", "--port", strconv.Itoa(port)}, prismFlags...)
	cmd := exec.Command(bin, append(args, file)...)
	cmd.SysProcAttr = processGroup()
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &prismServer{URL: fmt.Sprintf("http://127.0.0.1:%d", port), out: newTail(64 << 10)}
	exited := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		pw.CloseWithError(io.EOF)
		exited <- err
	}()
	t.Cleanup(func() {
		killGroup(cmd.Process)
		<-exited
	})
	// The reader drains Prism's output for the whole run (so that Prism
	// never blocks on a full pipe) and reports when it is listening.
	ready, drained := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(drained)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			p.out.add(line)
			if !signalled && strings.Contains(line, prismListening) {
				signalled = true
				close(ready)
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	timer := time.NewTimer(prismStartTimeout)
	defer timer.Stop()
	select {
	case <-ready:
		return p, nil
	case err := <-exited:
		exited <- err // for the cleanup
		<-drained     // every line of the output is in p.out
		return nil, fmt.Errorf("prism exited before listening (%v):\n%s", err, p.out)
	case <-timer.C:
		return nil, fmt.Errorf("prism not listening after %v:\n%s", prismStartTimeout, p.out)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tail keeps the last lines of a process's output, up to a byte budget.
type tail struct {
	mu    sync.Mutex
	max   int
	size  int
	lines []string
}

func newTail(max int) *tail { return &tail{max: max} }

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	t.size += len(line) + 1
	for t.size > t.max && len(t.lines) > 1 {
		t.size -= len(t.lines[0]) + 1
		t.lines = t.lines[1:]
	}
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}

// waitCtx is a context for one call to Prism: generous, since a loaded
// machine can make Prism slow, but bounded so a hung call fails the test.
func waitCtx(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, 2*time.Minute)
}

var (
	errNotSent = errors.New("no request reached Prism")
	errPanic   = errors.New("the client panicked")
)
