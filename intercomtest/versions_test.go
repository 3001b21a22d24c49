package intercomtest

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/apipin/intercom/intercomtest/internal/apitables"
)

// The same stored contact, and the same synthesized route, answer in the
// shape of the version each request names: valid for that version's answer
// schema. Without the header the newest numbered version answers.
func TestAnswersFollowTheVersion(t *testing.T) {
	srv := NewServer(t)
	ct := srv.AddContact(Contact{Email: "v@versions.test", Name: "Versioned"})
	bodies := map[string]string{}
	for _, v := range apitables.Versions() {
		a := apiFor(v)
		for _, path := range []string{"/contacts/" + ct.ID, "/admins", "/me"} {
			rt, _, _ := a.match("GET", path)
			if rt == nil {
				t.Fatalf("%s: no route for GET %s", v, path)
			}
			res := do(t, srv, "GET", path, nil, header("Intercom-Version", v))
			var tree any
			if err := json.Unmarshal(res.body, &tree); err != nil || res.status != http.StatusOK {
				t.Fatalf("%s GET %s: %d %s", v, path, res.status, res.body)
			}
			if p := a.schemas.validate(rt.op.Response, tree, "", false); p != nil {
				t.Errorf("%s GET %s: the answer breaks the version's schema: %s", v, path, p.message)
			}
			if path == "/contacts/"+ct.ID {
				bodies[string(res.body)] = v
			}
		}
	}
	// The contact's shape changes across versions (fields added over time).
	if len(bodies) < 2 {
		t.Errorf("the stored contact answers identically in every version")
	}
	t.Logf("the stored contact has %d distinct shapes across %d versions", len(bodies), len(apitables.Versions()))
	newest := do(t, srv, "GET", "/contacts/"+ct.ID, nil)
	pinned := do(t, srv, "GET", "/contacts/"+ct.ID, nil, header("Intercom-Version", newestVersion()))
	if string(newest.body) != string(pinned.body) {
		t.Errorf("without Intercom-Version the answer is not %s's:\n%s\n%s", newestVersion(), newest.body, pinned.body)
	}
}
