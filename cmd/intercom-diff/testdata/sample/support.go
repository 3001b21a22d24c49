package main

import (
	"context"
	"fmt"

	intercom "github.com/apipin/intercom/api/v2.11"
)

// support opens a ticket for the contact and reports on its conversations.
func support(ctx context.Context, c *intercom.Client, contactID string) error {
	// Each contact is one variant of a union, named after what tells it
	// apart (its id here).
	ticket, err := c.CreateTicket(ctx, intercom.CreateTicketRequest{
		TicketTypeID: "1",
		Contacts:     []intercom.CreateTicketRequestContactsItem{intercom.CreateTicketContactsItemWithID{ID: contactID}},
	}, nil)
	if err != nil {
		return err
	}
	switch ticket.TicketState {
	case intercom.TicketTicketStateSubmitted, intercom.TicketTicketStateInProgress:
		fmt.Println("open ticket", ticket.ID, ticket.TicketID)
	case intercom.TicketTicketStateResolved:
		fmt.Println("resolved")
	}
	open := false
	state := intercom.UpdateTicketRequestState("resolved")
	if _, err := c.UpdateTicket(ctx, ticket.ID, intercom.UpdateTicketRequest{Open: &open, State: &state}, nil); err != nil {
		return err
	}
	got, err := c.GetTicket(ctx, ticket.ID, nil)
	if err != nil {
		return err
	}
	fmt.Println(got.AdminAssigneeID, got.Category)
	for conv, err := range c.ListConversationsAll(ctx, nil) {
		if err != nil {
			return err
		}
		full, err := c.RetrieveConversation(ctx, conv.ID, nil)
		if err != nil {
			return err
		}
		if full.State == intercom.ConversationStateOpen {
			fmt.Println("open:", full.ID, full.Title, full.AdminAssigneeID, full.Priority)
		}
	}
	return nil
}
