// Command typed is a binary-size probe: a program that makes five calls
// through the typed client of api/v2.16. scripts/bench.sh compares its
// size with tests/bench/size/raw, the same program on the hand-written
// baseline, to measure what one version package adds to a binary.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	intercom "github.com/apipin/intercom/api/v2.16"
)

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: typed CONTACT_ID COMPANY_ID (token in INTERCOM_TOKEN)")
	}
	contactID, companyID := os.Args[1], os.Args[2]
	c, err := intercom.NewFromEnv()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	contact, err := c.ShowContact(ctx, contactID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(contact.Email)
	if _, err := c.AttachContactToACompany(ctx, contactID, intercom.AttachContactToACompanyRequest{ID: companyID}, nil); err != nil {
		log.Fatal(err)
	}
	company, err := c.RetrieveACompanyByID(ctx, companyID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(company.Name)
	if _, err := c.DetachContactFromACompany(ctx, contactID, companyID, nil); err != nil {
		log.Fatal(err)
	}
	n := 0
	for _, err := range c.ListContactsAll(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n, "contacts")
}
