package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/apipin/intercom/webhook"
)

func ExampleVerify() {
	secret := []byte("example-client-secret")
	body := []byte(`{"type":"notification_event","topic":"ping"}`)
	header := webhook.Sign(secret, body) // what Intercom puts in X-Hub-Signature

	fmt.Println(webhook.Verify(secret, body, header))

	err := webhook.Verify(secret, []byte(`{"type":"notification_event","topic":"pong"}`), header)
	fmt.Println(errors.Is(err, webhook.ErrSignatureMismatch))

	err = webhook.Verify(secret, body, "")
	fmt.Println(errors.Is(err, webhook.ErrMissingSignature))
	// Output:
	// <nil>
	// true
	// true
}

func ExampleParse() {
	n, err := webhook.Parse([]byte(`{"type":"notification_event","app_id":"ab12cd34","id":"notif_1",` +
		`"topic":"company.created","created_at":1700000000,"delivery_attempts":1,` +
		`"data":{"type":"notification_event_data","item":{"type":"company","id":"77"}}}`))
	if err != nil {
		panic(err)
	}
	var item struct{ Type, ID string }
	_ = n.DecodeItem(&item)
	fmt.Println(n.Topic, n.CreatedAt.Format("2006-01-02"), item.Type, item.ID)
	// Output: company.created 2023-11-14 company 77
}

func ExampleHandler() {
	secret := []byte("example-client-secret")
	h := webhook.Handler(secret, func(ctx context.Context, n webhook.Notification) error {
		fmt.Println("received", n.Topic, "from", n.AppID)
		return nil
	})
	// In a program: http.Handle("/hooks/intercom", h).

	body := `{"type":"notification_event","app_id":"ab12cd34","topic":"contact.lead.created","data":{"item":{}}}`
	req := httptest.NewRequest(http.MethodPost, "/hooks/intercom", strings.NewReader(body))
	req.Header.Set(webhook.SignatureHeader, webhook.Sign(secret, []byte(body)))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code)

	forged := httptest.NewRequest(http.MethodPost, "/hooks/intercom", strings.NewReader(body))
	forged.Header.Set(webhook.SignatureHeader, webhook.Sign([]byte("guessed"), []byte(body)))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, forged)
	fmt.Println(rec.Code)
	// Output:
	// received contact.lead.created from ab12cd34
	// 200
	// 401
}
