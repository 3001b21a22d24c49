// Command behaviour is written against Intercom-Version 2.16 to exercise
// intercom-diff's behaviour findings against Preview: a new status code, an
// enum that gained values (read as a field and switched on by constant),
// fields that became nullable, and (on facts that declare them) new error
// codes and a deprecation.
// Each line the tests expect a finding on carries a `// want:` comment.
package main

import (
	"context"
	"fmt"
	"os"

	intercom "github.com/apipin/intercom/api/v2.16"
)

func main() {
	ctx := context.Background()
	c, err := intercom.New(intercom.WithToken(os.Getenv("INTERCOM_TOKEN")))
	if err != nil {
		panic(err)
	}
	msg, err := c.CreateMessage(ctx, intercom.CreateMessageInapp{}, nil)
	if err != nil {
		panic(err)
	}
	kind := msg.MessageType // want: enum-values-added
	switch kind {
	case intercom.MessageMessageTypeEmail: // want: enum-values-added
		fmt.Println("email")
	default:
		fmt.Println("other")
	}
	conv, err := c.RetrieveConversation(ctx, 1, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(conv.Source.Subject, conv.Source.Body) // want: became-nullable became-nullable
	attrs, err := c.LisDataAttributes(ctx, nil)
	if err != nil {
		panic(err)
	}
	for _, attr := range attrs.Data {
		fmt.Println(attr.Name, attr.DataType) // want: enum-values-added
	}
	if _, err := c.CreateInternalArticle(ctx, intercom.CreateInternalArticleRequest{}, nil); err != nil { // want: status-added
		panic(err)
	}
	contact, err := c.ShowContact(ctx, "1", nil) // want(codes): deprecated error-code-added
	if err != nil {
		panic(err)
	}
	fmt.Println(contact.Email)
}
