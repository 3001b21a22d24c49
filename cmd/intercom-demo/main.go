// Command intercom-demo shows the typed clients at work (`make demo`).
//
// Without INTERCOM_TOKEN it starts the in-memory intercomtest server in the
// process and runs the seed flows against it: create-or-update a company,
// attach, list, detach, the error codes, and the bulk LinkContacts. No
// network is needed.
//
// With INTERCOM_TOKEN it talks to the real API: it checks the token with
// GET /me and lists a few contacts and companies. It changes nothing in the
// workspace unless -write is given; then it creates (or updates) a company
// with company_id "apipin-intercom-demo", links up to three contacts to it
// with LinkContacts and detaches them again.
//
//	go run ./cmd/intercom-demo [-version 2.16] [-region us|eu|au] [-write] [-limit 5]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/apipin/intercom"
	"github.com/apipin/intercom/intercomtest"
	"github.com/apipin/intercom/internal/seedflow"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: arguments, environment and output are
// passed in so that tests can drive it. It returns the exit status.
func run(ctx context.Context, args []string, getenv func(string) string, out, errOut io.Writer) int {
	fs := flag.NewFlagSet("intercom-demo", flag.ContinueOnError)
	fs.SetOutput(errOut)
	version := fs.String("version", seedflow.Versions[0].Name, "Intercom-Version whose typed client to use: "+versionNames())
	region := fs.String("region", "", "data-hosting region of the workspace: us, eu or au (default $INTERCOM_REGION, else us)")
	baseURL := fs.String("base-url", "", "send to this base URL instead of the region's host (a proxy)")
	write := fs.Bool("write", false, "with INTERCOM_TOKEN: also run the flows that change the workspace")
	limit := fs.Int("limit", 5, "with INTERCOM_TOKEN: how many contacts and companies to list")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(errOut, "intercom-demo: unexpected arguments %q\n", fs.Args())
		return 2
	}
	v, err := seedflow.Lookup(*version)
	if err != nil {
		fmt.Fprintln(errOut, "intercom-demo:", err)
		return 2
	}

	token := getenv("INTERCOM_TOKEN")
	if token == "" {
		err = builtIn(ctx, v, out)
	} else {
		opts := []intercom.Option{intercom.WithToken(token)}
		if o, rerr := where(*region, *baseURL, getenv); rerr != nil {
			fmt.Fprintln(errOut, "intercom-demo:", rerr)
			return 2
		} else if o != nil {
			opts = append(opts, o)
		}
		err = live(ctx, v, opts, *write, *limit, out)
	}
	if err != nil {
		fmt.Fprintln(errOut, "intercom-demo:", err)
		return 1
	}
	return 0
}

func versionNames() string {
	names := make([]string, len(seedflow.Versions))
	for i, v := range seedflow.Versions {
		names[i] = v.Name
	}
	return strings.Join(names, ", ")
}

// where picks the host: -base-url, else -region, else INTERCOM_REGION,
// else none (the library's default, US).
func where(region, baseURL string, getenv func(string) string) (intercom.Option, error) {
	if baseURL != "" {
		return intercom.WithBaseURL(baseURL), nil
	}
	if region == "" {
		region = getenv("INTERCOM_REGION")
	}
	if region == "" {
		return nil, nil
	}
	r, err := intercom.ParseRegion(region)
	if err != nil {
		return nil, err
	}
	return intercom.WithRegion(r), nil
}

// builtIn runs the whole tour against an in-process intercomtest server.
func builtIn(ctx context.Context, v seedflow.Version, out io.Writer) error {
	srv := intercomtest.NewServer(nil)
	defer srv.Close()
	f := seedflow.Seed(srv)
	fmt.Fprintf(out, "No INTERCOM_TOKEN: running the seed flows against the built-in test server (intercomtest),\n")
	fmt.Fprintf(out, "seeded with %d contacts and one contact already linked to 1000 companies.\n\n", len(f.People))
	return seedflow.Tour{
		Version: v,
		Options: []intercom.Option{intercom.WithToken(srv.Token()), intercom.WithBaseURL(srv.URL())},
		Fixture: f,
		Out:     out,
	}.Run(ctx)
}

// demoCompany is the company -write creates in a real workspace; its
// company_id makes a second run update it instead of adding another.
var demoCompany = seedflow.CompanyInput{CompanyID: "apipin-intercom-demo", Name: "apipin/intercom demo"}

// live runs the read-only flows against the real API, and the writing ones
// only when asked to.
func live(ctx context.Context, v seedflow.Version, opts []intercom.Option, write bool, limit int, out io.Writer) error {
	c, err := v.New(opts...)
	if err != nil {
		return err
	}
	defer c.CloseIdleConnections()
	fmt.Fprintf(out, "Intercom-Version %s at %s\n", c.Version(), c.BaseURL())
	ws, err := c.Probe(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "GET /me: workspace %s (region %s), admin %s\n", ws.AppID, ws.Region, ws.Name)

	var contactIDs []string
	fmt.Fprintf(out, "First %d contacts:\n", limit)
	for ct, err := range first(c.Contacts(ctx), limit) {
		if err != nil {
			return err
		}
		contactIDs = append(contactIDs, ct.ID)
		fmt.Fprintf(out, "  %s %s\n", ct.ID, ct.Email)
	}
	fmt.Fprintf(out, "First %d companies:\n", limit)
	for co, err := range first(c.Companies(ctx), limit) {
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %s %s (company_id %s)\n", co.ID, co.Name, co.CompanyID)
	}

	if !write {
		fmt.Fprintln(out, "Nothing was changed. Pass -write to create a demo company and link contacts to it.")
		return nil
	}
	return liveWrites(ctx, c, contactIDs[:min(3, len(contactIDs))], out)
}

// liveWrites creates or updates the demo company, links contacts to it and
// detaches them again, leaving only the company behind.
func liveWrites(ctx context.Context, c seedflow.Client, contactIDs []string, out io.Writer) error {
	co, err := c.UpsertCompany(ctx, demoCompany)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Company %s (company_id %s) created or updated\n", co.ID, co.CompanyID)
	if len(contactIDs) == 0 {
		fmt.Fprintln(out, "No contacts to link.")
		return nil
	}
	res, err := c.LinkContacts(ctx, co.ID, contactIDs)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "LinkContacts: updated %d, failed %d\n", res.Updated, res.Failed)
	for _, le := range res.Errors {
		fmt.Fprintf(out, "  %s: %v\n", le.ContactID, le.Err)
	}
	var errs []error
	for _, id := range contactIDs {
		if _, err := c.Detach(ctx, id, co.ID); err != nil && !errors.Is(err, intercom.ErrNotFound) {
			errs = append(errs, err)
		}
	}
	fmt.Fprintf(out, "Detached the %d contacts again.\n", len(contactIDs))
	return errors.Join(errs...)
}

// first yields at most n items of seq.
func first[T any](seq func(func(T, error) bool), n int) func(func(T, error) bool) {
	return func(yield func(T, error) bool) {
		if n <= 0 {
			return
		}
		i := 0
		for v, err := range seq {
			if !yield(v, err) || err != nil {
				return
			}
			if i++; i == n {
				return
			}
		}
	}
}
