// Command sample is a program written against Intercom-Version 2.11 the way
// the README teaches: one version package, typed results, typed errors,
// iterators. intercom-diff's tests check it against later versions.
package main

import (
	"context"
	"log"
	"os"

	intercom "github.com/apipin/intercom/api/v2.11"
)

func main() {
	ctx := context.Background()
	c, err := intercom.New(intercom.WithToken(os.Getenv("INTERCOM_TOKEN")), intercom.WithRegion(intercom.RegionEU))
	if err != nil {
		log.Fatal(err)
	}
	if err := run(ctx, c); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, c *intercom.Client) error {
	contact, err := onboard(ctx, c, "pat@example.com")
	if err != nil {
		return err
	}
	if err := support(ctx, c, contact.ID); err != nil {
		return err
	}
	return publish(ctx, c, contact.ID)
}
