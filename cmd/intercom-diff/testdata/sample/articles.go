package main

import (
	"context"
	"fmt"

	intercom "github.com/apipin/intercom/api/v2.11"
)

// publish writes a help article and lists the published ones.
func publish(ctx context.Context, c *intercom.Client, contactID string) error {
	state := intercom.CreateArticleRequestState("published")
	article, err := c.CreateArticle(ctx, intercom.CreateArticleRequest{AuthorID: 1, Title: "Welcome", State: &state}, nil)
	if err != nil {
		return err
	}
	title := "Welcome!"
	if _, err := c.UpdateArticle(ctx, article.ID, intercom.UpdateArticleRequestBody{Title: &title}, nil); err != nil {
		return err
	}
	got, err := c.RetrieveArticle(ctx, article.ID, nil)
	if err != nil {
		return err
	}
	if got.State == intercom.ArticleStatePublished {
		fmt.Println(got.URL, got.ParentID, got.Statistics.Views)
	}
	for a, err := range c.ListArticlesAll(ctx, nil) {
		if err != nil {
			return err
		}
		fmt.Println(a.ID, a.Title, a.State)
	}
	_ = contactID
	return nil
}
