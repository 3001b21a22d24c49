package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/apipin/intercom/intercomtest"
)

// TestProgressLineInATerminal runs the command as a child process whose
// stderr is a pseudo-terminal, as a person would see it, and reads the
// progress line --all draws there; stdout is a pipe and gets the NDJSON.
func TestProgressLineInATerminal(t *testing.T) {
	s := intercomtest.NewServer(t, intercomtest.WithRateLimit(100000, 10*time.Second))
	for i := range 600 {
		s.AddContact(intercomtest.Contact{Email: fmt.Sprintf("p%d@example.test", i)})
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()

	cmd := exec.Command(os.Args[0], "--base-url", s.URL(), "contacts", "list", "--all")
	cmd.Env = append(os.Environ(), "INTERCOM_CLI_AS_MAIN=1", "INTERCOM_TOKEN="+s.Token())
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close() // the child holds its own copy
	var screen bytes.Buffer
	done := make(chan struct{})
	go func() {
		io.Copy(&screen, ptmx) // ends with EIO once the child has exited
		close(done)
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v; terminal: %q", err, screen.String())
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the terminal did not close")
	}

	if n := strings.Count(stdout.String(), "\n"); n != 600 {
		t.Fatalf("%d NDJSON lines on stdout, want 600", n)
	}
	out := screen.String()
	// Each redraw returns to the start of the line and clears it.
	draws := strings.Split(out, "\r\x1b[K")
	if len(draws) < 12 {
		t.Fatalf("%d redraws, want one a page at least: %q", len(draws)-1, out)
	}
	eta := regexp.MustCompile(`^\d+ items, \d+ pages, rate limit \d+/100000 left, 600 items in all, ETA \d+s$`)
	sawETA := false
	for _, d := range draws[1 : len(draws)-1] {
		sawETA = sawETA || eta.MatchString(d)
	}
	if !sawETA {
		t.Errorf("no draw with an ETA: %q", out)
	}
	last := strings.TrimRight(draws[len(draws)-1], "\r\n")
	if !regexp.MustCompile(`^600 items, 12 pages, rate limit \d+/100000 left, 600 items in all$`).MatchString(last) {
		t.Errorf("last draw %q", last)
	}
	if !strings.HasSuffix(out, "\n") {
		t.Errorf("the line is not ended: %q", out)
	}
}

// Piped stderr gets no progress line: nothing to clean out of a log.
func TestNoProgressWhenPiped(t *testing.T) {
	res := run(t, nil, "", "--fake", "--fake-contacts", "60", "contacts", "list", "--all")
	if res.code != 0 || res.stderr != "" {
		t.Fatalf("exit %d, stderr %q", res.code, res.stderr)
	}
}
