package main

import (
	"context"
	"errors"
	"fmt"

	intercom "github.com/apipin/intercom/api/v2.11"
)

// onboard creates a contact and its company, and links them.
func onboard(ctx context.Context, c *intercom.Client, email string) (*intercom.Contact, error) {
	contact, err := c.CreateContact(ctx, intercom.CreateContactWithEmail{Email: email}, nil)
	if err != nil {
		return nil, err
	}
	name := "Acme"
	companyID := "acme-1"
	company, err := c.CreateOrUpdateCompany(ctx, intercom.CreateOrUpdateCompanyRequest{
		CompanyID: &companyID,
		Name:      &name,
	}, nil)
	if err != nil {
		return nil, err
	}
	if _, err := c.AttachContactToACompany(ctx, contact.ID, intercom.AttachContactToACompanyRequest{ID: company.ID}, nil); err != nil {
		var apiErr *intercom.Error
		if errors.As(err, &apiErr) && apiErr.Code() == "company_not_found" {
			return nil, fmt.Errorf("company %s vanished: %w", company.ID, err)
		}
		return nil, err
	}
	fmt.Println("plan:", company.Plan.Name, "spend:", company.MonthlySpend)
	for co, err := range c.ListCompaniesForAContactAll(ctx, contact.ID, nil) {
		if err != nil {
			return nil, err
		}
		fmt.Println("linked:", co.Name, co.CompanyID)
	}
	again, err := c.ShowContact(ctx, contact.ID, nil)
	if err != nil {
		return nil, err
	}
	fmt.Println(again.Role, again.Email, again.Avatar.ImageURL)
	return contact, nil
}

// prune archives the contacts that have no email.
func prune(ctx context.Context, c *intercom.Client) (int, error) {
	n := 0
	for contact, err := range c.ListContactsAll(ctx, nil) {
		if err != nil {
			return n, err
		}
		if contact.Email != "" {
			continue
		}
		if _, err := c.ArchiveContact(ctx, contact.ID, nil); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// rename changes a contact's name and detaches it from a company.
func rename(ctx context.Context, c *intercom.Client, contactID, companyID, name string) error {
	if _, err := c.UpdateContact(ctx, contactID, intercom.UpdateContactRequest{Name: &name}, nil); err != nil {
		return err
	}
	_, err := c.DetachContactFromACompany(ctx, contactID, companyID, nil)
	return err
}
