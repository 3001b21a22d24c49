package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/apipin/intercom/intercomtest"
)

// fake is an in-process intercomtest server for --fake: a small workspace
// (contacts, two companies, a tag) that answers the operations intercomtest
// implements, with no token and no network. Any other operation gets its
// 501 not_implemented error.
type fake struct {
	srv        *intercomtest.Server
	url, token string
}

func startFake(contacts int) (*fake, error) {
	if contacts < 0 {
		return nil, usagef("--fake-contacts must not be negative")
	}
	s := intercomtest.NewServer(nil)
	acme := s.AddCompany(intercomtest.Company{CompanyID: "acme", Name: "Acme", Plan: "pro"})
	s.AddCompany(intercomtest.Company{CompanyID: "globex", Name: "Globex", Plan: "free"})
	vip := s.AddTag("vip")
	for i := 1; i <= contacts; i++ {
		c := s.AddContact(intercomtest.Contact{
			ExternalID: fmt.Sprintf("user-%d", i),
			Email:      fmt.Sprintf("person%d@example.test", i),
			Name:       fmt.Sprintf("Person %d", i),
		})
		if i <= 2 {
			s.AttachCompany(c.ID, acme.ID)
		}
		if i == 1 {
			s.TagContact(c.ID, vip.ID)
		}
	}
	return &fake{srv: s, url: s.URL(), token: s.Token()}, nil
}

func (f *fake) close() { f.srv.Close() }

// fakeServeCommand runs the fake workspace of --fake as a server of its own
// until interrupted, so that a benchmark can measure the command's memory
// without the fake's in the same process. It prints the two settings to
// use: --base-url and INTERCOM_TOKEN.
func fakeServeCommand(o *options) *cobra.Command {
	return &cobra.Command{
		Use:    "fake-serve",
		Short:  "Serve the --fake workspace on a loopback address until interrupted",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fk, err := startFake(o.fakeContacts)
			if err != nil {
				return err
			}
			defer fk.close()
			fmt.Fprintf(cmd.OutOrStdout(), "--base-url %s\nINTERCOM_TOKEN=%s\n", fk.url, fk.token)
			<-cmd.Context().Done()
			return nil
		},
	}
}
