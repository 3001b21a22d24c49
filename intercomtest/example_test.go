package intercomtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/apipin/intercom/intercomtest"
)

func ExampleNewServer() {
	// In a test, pass t instead of nil and the server closes itself.
	srv := intercomtest.NewServer(nil, intercomtest.WithClock(func() time.Time { return time.Unix(1_750_000_000, 0) }))
	defer srv.Close()
	person := srv.AddContact(intercomtest.Contact{Email: "pat@example.test"})

	req, _ := http.NewRequest("POST", srv.URL()+"/contacts/"+person.ID+"/companies", strings.NewReader(`{"id":"unknown"}`))
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	req.Header.Set("Intercom-Version", "2.11")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	var body struct {
		Errors []struct{ Code string } `json:"errors"`
	}
	_ = json.NewDecoder(res.Body).Decode(&body)
	fmt.Println(res.StatusCode, body.Errors[0].Code)
	fmt.Println(len(srv.Requests()), "request captured")
	// Output:
	// 404 company_not_found
	// 1 request captured
}
