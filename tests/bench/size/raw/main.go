// Command raw is the baseline binary-size probe: the program of
// tests/bench/size/typed written on the hand-written net/http client.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/apipin/intercom/tests/bench/rawclient"
)

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: raw CONTACT_ID COMPANY_ID (token in INTERCOM_TOKEN)")
	}
	contactID, companyID := os.Args[1], os.Args[2]
	c := rawclient.New("https://api.intercom.io", os.Getenv("INTERCOM_TOKEN"))
	ctx := context.Background()
	contact, err := c.GetContact(ctx, contactID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(contact.Email)
	if _, err := c.AttachContactToCompany(ctx, contactID, companyID); err != nil {
		log.Fatal(err)
	}
	company, err := c.GetCompany(ctx, companyID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(company.Name)
	if _, err := c.DetachContactFromCompany(ctx, contactID, companyID); err != nil {
		log.Fatal(err)
	}
	n, cursor := 0, ""
	for {
		page, err := c.ListContacts(ctx, cursor)
		if err != nil {
			log.Fatal(err)
		}
		n += len(page.Data)
		if page.Pages.Next == nil || page.Pages.Next.StartingAfter == "" {
			break
		}
		cursor = page.Pages.Next.StartingAfter
	}
	fmt.Println(n, "contacts")
}
