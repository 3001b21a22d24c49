// Package cli is the intercom command: every operation of every pinned
// Intercom-Version, named `intercom <group> <command>` after the spec's tag
// and operationId, sent through the library's core.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/apipin/intercom/cmd/intercom/internal/ops"
)

// Env is the world the command runs in; tests replace every part of it.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// StdoutTTY and StderrTTY say whether those are terminals: JSON is
	// indented for a terminal, and --all draws its progress line on one.
	StdoutTTY, StderrTTY bool
	Getenv               func(string) string
	Now                  func() time.Time
}

// OSEnv is the process's own environment.
func OSEnv() Env {
	return Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		StdoutTTY: isTerminal(os.Stdout), StderrTTY: isTerminal(os.Stderr),
		Getenv: os.Getenv, Now: time.Now,
	}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Exit statuses, by class of failure.
const (
	ExitOK          = 0
	ExitFailure     = 1 // anything not below: network, a 4xx without its own class, bad JSON
	ExitUsage       = 2 // the command line: unknown command, bad argument, missing body
	ExitAuth        = 3 // no token, 401, 403
	ExitNotFound    = 4 // 404
	ExitRateLimited = 5 // 429, once the library's retries gave up
	ExitServer      = 6 // 5xx, once the library's retries gave up
)

// options are the flags shared by every command.
type options struct {
	version      string
	tokenFile    string
	region       string
	baseURL      string
	dryRun       bool
	verbose      bool
	fake         bool
	fakeContacts int
}

// Run runs the command line args (without the program name) and returns
// the exit status.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	v, err := pickVersion(args, env.Getenv)
	if err != nil {
		fmt.Fprintln(env.Stderr, "intercom:", err)
		return ExitUsage
	}
	root := newRoot(ctx, v, &env)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err = root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := exitCode(err)
	printError(env.Stderr, err)
	return code
}

// pickVersion finds --version before the command tree is built, since the
// tree is that version's operations: the flag, else INTERCOM_VERSION, else
// the newest numbered version.
func pickVersion(args []string, getenv func(string) string) (*ops.Version, error) {
	name := getenv("INTERCOM_VERSION")
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if a == "--version" && i+1 < len(args) {
			name = args[i+1]
			i++
		} else if v, ok := strings.CutPrefix(a, "--version="); ok {
			name = v
		}
	}
	if name == "" {
		return ops.Latest(), nil
	}
	v, ok := ops.Lookup(name)
	if !ok {
		var names []string
		for _, v := range ops.Versions() {
			names = append(names, v.Name)
		}
		return nil, fmt.Errorf("unknown Intercom-Version %q: want one of %s", name, strings.Join(names, ", "))
	}
	return v, nil
}

func newRoot(ctx context.Context, v *ops.Version, env *Env) *cobra.Command {
	o := &options{}
	root := &cobra.Command{
		Use:   "intercom",
		Short: "Call any operation of any Intercom API version",
		Long: `intercom calls any operation of any pinned Intercom-Version from a shell.

  intercom [--version ` + v.Name + `] <group> <command> [path arguments] [--param name=value …] [--body @file|-|json]

Groups and commands are named after the description's tags and operationIds.
The token comes from INTERCOM_TOKEN or --token-file and is never printed.
Exit status: 0 ok, 1 other failure, 2 usage, 3 auth, 4 not found, 5 rate limited, 6 server error.`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&o.version, "version", v.Name, "Intercom-Version to use: 2.7 … 2.16 or Preview (env INTERCOM_VERSION)")
	pf.StringVar(&o.tokenFile, "token-file", "", "read the access token from this file instead of INTERCOM_TOKEN")
	pf.StringVar(&o.region, "region", "", "API region: us, eu or au (env INTERCOM_REGION; default us)")
	pf.StringVar(&o.baseURL, "base-url", "", "send to this API root instead of a region's (https, or http on loopback)")
	pf.BoolVar(&o.dryRun, "dry-run", false, "print the request as a curl command instead of sending it")
	pf.BoolVarP(&o.verbose, "verbose", "v", false, "print each response's status, request id and rate-limit figures to stderr")
	pf.BoolVar(&o.fake, "fake", false, "run against an in-process fake Intercom (intercomtest): no token, no network")
	pf.IntVar(&o.fakeContacts, "fake-contacts", 3, "with --fake, how many contacts the fake workspace holds")
	_ = root.RegisterFlagCompletionFunc("version", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var names []string
		for _, v := range ops.Versions() {
			names = append(names, v.Name)
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	})
	_ = root.RegisterFlagCompletionFunc("region", cobra.FixedCompletions([]string{"us", "eu", "au"}, cobra.ShellCompDirectiveNoFileComp))

	root.AddGroup(&cobra.Group{ID: "api", Title: "API groups (Intercom-Version " + v.Name + "):"})
	for _, g := range v.Groups() {
		root.AddCommand(groupCommand(ctx, v, g, o, env))
	}
	root.AddCommand(opsCommand(v), versionsCommand(), fakeServeCommand(o))
	return root
}

// exitCode maps an error to its exit status.
func exitCode(err error) int {
	var u *usageError
	var a *authError
	switch {
	case errors.As(err, &u):
		return ExitUsage
	case errors.As(err, &a):
		return ExitAuth
	}
	if e, ok := asAPIError(err); ok {
		switch {
		case e.StatusCode == 401 || e.StatusCode == 403:
			return ExitAuth
		case e.StatusCode == 404:
			return ExitNotFound
		case e.StatusCode == 429:
			return ExitRateLimited
		case e.StatusCode >= 500:
			return ExitServer
		}
		return ExitFailure
	}
	var r *runError
	if errors.As(err, &r) {
		return ExitFailure
	}
	// What is left came from parsing the command line (cobra's own
	// errors: unknown command or flag, bad flag value).
	return ExitUsage
}

// runError marks a failure after the command line was understood.
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }

// authError is a missing or unreadable token.
type authError struct{ msg string }

func (e *authError) Error() string { return e.msg }

// printError writes the error to stderr: for an API error, Intercom's
// code, message and request id, one per line.
func printError(w io.Writer, err error) {
	e, ok := asAPIError(err)
	if !ok {
		fmt.Fprintln(w, "intercom:", strings.TrimPrefix(err.Error(), "intercom: "))
		return
	}
	fmt.Fprintf(w, "intercom: %s (%s): HTTP %d %s\n", e.Operation, e.Method, e.StatusCode, http.StatusText(e.StatusCode))
	for _, d := range e.Errors {
		line := d.Code
		if d.Message != "" {
			line += ": " + d.Message
		}
		if d.Field != "" {
			line += " (field " + d.Field + ")"
		}
		fmt.Fprintln(w, "  "+oneLine(line))
	}
	if len(e.Errors) == 0 && len(e.Body) > 0 {
		body := oneLine(string(e.Body))
		if len(body) > 200 {
			body = body[:200] + "…"
		}
		fmt.Fprintln(w, "  body:", body)
	}
	if e.RateLimit.Known {
		fmt.Fprintf(w, "  rate limit: %d/%d left, resets %s\n", e.RateLimit.Remaining, e.RateLimit.Limit, e.RateLimit.Reset.UTC().Format(time.RFC3339))
	}
	if e.RequestID != "" {
		fmt.Fprintln(w, "  request id:", e.RequestID)
	}
}

// oneLine keeps server-provided text from breaking the error's lines.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
