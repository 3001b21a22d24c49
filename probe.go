package intercom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/apipin/intercom/internal/engine"
)

// Workspace is what Probe learns about the token's workspace and admin.
type Workspace struct {
	AppID   string // workspace id ("app id code")
	Region  string // hosting region as reported by the API
	AdminID string
	Email   string
	Name    string
}

// probeOp is GET /me, which every version serves and every token may call.
var probeOp = engine.Operation{ID: "identifyAdmin", Method: http.MethodGet, Path: "/me"}

// Probe checks the token and the region with a single GET /me. On a 401
// against a regional host it suggests the other regions, because a token
// sent to the wrong region is answered exactly like an invalid one.
func (c *core) Probe(ctx context.Context) (Workspace, error) {
	me, err := do[meResponse](ctx, c, &probeOp, nil, func(ctx context.Context) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, probeOp.Method, c.baseURL+probeOp.Path, nil)
		if err != nil {
			return nil, err
		}
		return c.client.Do(req)
	})
	if errors.Is(err, ErrUnauthorized) {
		return Workspace{}, fmt.Errorf("%w; %s", err, c.regionHint())
	}
	if err != nil {
		return Workspace{}, err
	}
	ws := Workspace{AdminID: string(me.ID), Email: me.Email, Name: me.Name}
	if me.App != nil {
		ws.AppID, ws.Region = me.App.IDCode, me.App.Region
	}
	return ws, nil
}

func (c *core) regionHint() string {
	here, ok := regionForBaseURL(c.baseURL)
	if !ok {
		return "check the token and that " + c.baseURL + " serves its workspace"
	}
	var others []string
	for _, r := range regions {
		if r != here {
			others = append(others, "WithRegion(Region"+strings.ToUpper(r.name)+")")
		}
	}
	return fmt.Sprintf("if the token is valid, its workspace may be hosted outside the %s region: try %s",
		strings.ToUpper(here.name), strings.Join(others, " or "))
}

// meResponse is decoded loosely: only what Probe reports, ids as strings
// or numbers.
type meResponse struct {
	ID    looseString `json:"id"`
	Email string      `json:"email"`
	Name  string      `json:"name"`
	App   *struct {
		IDCode string `json:"id_code"`
		Region string `json:"region"`
	} `json:"app"`
}

// looseString accepts a JSON string or number.
type looseString string

func (s *looseString) UnmarshalJSON(b []byte) error {
	var v any = (*string)(s)
	if len(b) > 0 && b[0] != '"' && string(b) != "null" {
		v = new(json.Number)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return err
	}
	if n, ok := v.(*json.Number); ok {
		*s = looseString(*n)
	}
	return nil
}
