// Command intercom-fake serves intercomtest's imitation of the Intercom REST
// API as a standalone HTTP server, for tests written in other languages and
// for trying the clients by hand. Every operation of every pinned version
// answers (statefully for the resources intercomtest stores, synthesized
// from the version's schemas otherwise); see package intercomtest.
//
//	go run github.com/apipin/intercom/cmd/intercom-fake -addr 127.0.0.1:8080 [-state fake.json]
//
// With -state the workspace is loaded from the file when it exists and
// written back on exit (SIGINT or SIGTERM). Faults for resilience tests are
// given with -fault, as many times as needed:
//
//	-fault 'GET /contacts/{contact_id};status=503;times=2'
//	-fault '*;delay=250ms'
//	-fault 'ListContacts;reset'      (also: malformed, retry_after=5s)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/apipin/intercom/intercomtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// faultFlags collects -fault values.
type faultFlags []string

func (f *faultFlags) String() string     { return strings.Join(*f, " ") }
func (f *faultFlags) Set(v string) error { *f = append(*f, v); return nil }

// run is main without the process. It serves until ctx ends.
func run(ctx context.Context, args []string, out, errOut io.Writer) int {
	fs := flag.NewFlagSet("intercom-fake", flag.ContinueOnError)
	fs.SetOutput(errOut)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	token := fs.String("token", intercomtest.DefaultToken, "the bearer token the server accepts")
	statePath := fs.String("state", "", "load the workspace from this JSON file (if it exists) and save it there on exit")
	implicit := fs.Bool("implicit", false, "unknown contact, company, tag and resource ids name objects created on first use (instead of 404)")
	rateLimit := fs.Int("rate-limit", 0, "requests allowed per -rate-window (0: no limit)")
	rateWindow := fs.Duration("rate-window", 10*time.Second, "the rate limit's fixed window")
	var faults faultFlags
	fs.Var(&faults, "fault", "inject a fault: 'ROUTE;status=503;delay=100ms;times=2;reset;malformed;retry_after=5s' (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(errOut, "intercom-fake: unexpected arguments %q\n", fs.Args())
		return 2
	}
	parsed := make([]routeFault, 0, len(faults))
	for _, f := range faults {
		rf, err := parseFault(f)
		if err != nil {
			fmt.Fprintln(errOut, "intercom-fake: -fault:", err)
			return 2
		}
		parsed = append(parsed, rf)
	}
	opts := []intercomtest.Option{intercomtest.WithListenAddr(*addr), intercomtest.WithToken(*token), intercomtest.WithCaptureLimit(0)}
	if *implicit {
		opts = append(opts, intercomtest.WithImplicitObjects())
	}
	if *rateLimit > 0 {
		opts = append(opts, intercomtest.WithRateLimit(*rateLimit, *rateWindow))
	}
	srv, err := start(opts)
	if err != nil {
		fmt.Fprintln(errOut, "intercom-fake:", err)
		return 1
	}
	defer srv.Close()
	if *statePath != "" {
		if err := load(srv, *statePath); err != nil {
			fmt.Fprintln(errOut, "intercom-fake:", err)
			return 1
		}
	}
	for _, f := range parsed {
		srv.InjectFault(f.route, f.fault)
	}
	fmt.Fprintf(out, "intercom-fake: serving on %s (token %q); stop with Ctrl-C\n", srv.URL(), srv.Token())
	<-ctx.Done()
	if *statePath != "" {
		if err := save(srv, *statePath); err != nil {
			fmt.Fprintln(errOut, "intercom-fake:", err)
			return 1
		}
		fmt.Fprintf(out, "intercom-fake: state saved to %s\n", *statePath)
	}
	return 0
}

// start turns NewServer's panic on a listening failure into an error.
func start(opts []intercomtest.Option) (srv *intercomtest.Server, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	return intercomtest.NewServer(nil, opts...), nil
}

func load(srv *intercomtest.Server, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // a new workspace, saved there on exit
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return srv.LoadState(f)
}

// save writes the state next to the file and renames it over, so an
// interrupted save never leaves half a file.
func save(srv *intercomtest.Server, path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := srv.SaveState(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

type routeFault struct {
	route string
	fault intercomtest.Fault
}

// parseFault reads 'ROUTE;key=value;flag…'.
func parseFault(s string) (routeFault, error) {
	parts := strings.Split(s, ";")
	rf := routeFault{route: strings.TrimSpace(parts[0])}
	if rf.route == "" {
		return rf, fmt.Errorf("%q: no route (use * for every route)", s)
	}
	if len(parts) == 1 {
		return rf, fmt.Errorf("%q: no fault given", s)
	}
	for _, p := range parts[1:] {
		key, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		var err error
		switch key {
		case "status":
			rf.fault.Status, err = strconv.Atoi(val)
			if err == nil && (rf.fault.Status < 400 || rf.fault.Status > 599) {
				err = fmt.Errorf("not an error status")
			}
		case "delay":
			rf.fault.Delay, err = time.ParseDuration(val)
		case "retry_after":
			rf.fault.RetryAfter, err = time.ParseDuration(val)
		case "times":
			rf.fault.Times, err = strconv.Atoi(val)
		case "reset":
			rf.fault.Reset = true
		case "malformed":
			rf.fault.Malformed = true
		default:
			err = fmt.Errorf("unknown setting")
		}
		if err != nil {
			return rf, fmt.Errorf("%q: %s: %v", s, key, err)
		}
	}
	return rf, nil
}
