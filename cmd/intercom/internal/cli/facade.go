package cli

// Every call this command makes into the library is in this file, so that a
// change of the library's plumbing (internal/gensupport, pagination)
// touches one small place. The command sends through the library's core:
// auth, the pinned Intercom-Version header, retries with the retry budget,
// hooks and the typed *Error all come from it.

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"time"

	intercom "github.com/apipin/intercom"
	"github.com/apipin/intercom/internal/gensupport"
	"github.com/apipin/intercom/internal/paging"
)

// apiError is the library's typed error for a non-2xx answer.
type apiError = intercom.Error

// clientConfig is what the command knows before building a client.
type clientConfig struct {
	version    string // "2.16", "Preview"
	token      string
	region     string // "us", "eu", "au"; "" for the default
	baseURL    string
	httpClient *http.Client // nil for the library's own transport
	onResponse func(responseInfo)
}

// responseInfo is what the command shows of each attempt (-v, progress).
type responseInfo struct {
	method, url       string
	attempt, status   int
	requestID         string
	duration          time.Duration
	rateKnown         bool
	remaining, limit  int
	reset             time.Time
	transportErrorMsg string
}

// client is the library's engine pinned to one version (what a version
// package's Client wraps): the command sends any operation of any version
// through it.
type client struct{ core gensupport.Core }

func newClient(c clientConfig) (*client, error) {
	v, err := intercom.ParseVersion(c.version)
	if err != nil {
		return nil, err
	}
	opts := []intercom.Option{intercom.WithToken(c.token), intercom.WithUserAgent("intercom-cli")}
	if c.region != "" {
		r, err := intercom.ParseRegion(c.region)
		if err != nil {
			return nil, err
		}
		opts = append(opts, intercom.WithRegion(r))
	}
	if c.baseURL != "" {
		opts = append(opts, intercom.WithBaseURL(c.baseURL))
	}
	if c.httpClient != nil {
		opts = append(opts, intercom.WithHTTPClient(c.httpClient))
	}
	if c.onResponse != nil {
		hook := c.onResponse
		opts = append(opts, intercom.WithResponseHook(func(ri intercom.ResponseInfo) {
			info := responseInfo{
				method: ri.Method, url: ri.URL, attempt: ri.Attempt, status: ri.StatusCode,
				requestID: ri.RequestID, duration: ri.Duration,
				rateKnown: ri.RateLimit.Known, remaining: ri.RateLimit.Remaining,
				limit: ri.RateLimit.Limit, reset: ri.RateLimit.Reset,
			}
			if ri.Err != nil {
				info.transportErrorMsg = ri.Err.Error()
			}
			hook(info)
		}))
	}
	core, err := gensupport.NewCore(v, opts...)
	if err != nil {
		return nil, err
	}
	return &client{core: core}, nil
}

// baseURL is the API root requests go to.
func (c *client) baseURL() string { return c.core.BaseURL() }

// call sends one request through the core and returns the 2xx body, or an
// *apiError for any other status. build must make a fresh request each time
// it is called, with the given context.
func (c *client) call(ctx context.Context, id, method, pathTemplate, accept string,
	build func(ctx context.Context) (*http.Request, error)) ([]byte, error) {
	op := &gensupport.Operation{ID: id, Method: method, Path: pathTemplate}
	return gensupport.DoBytes(ctx, c.core, op, accept, nil, func(ctx context.Context) (*http.Response, error) {
		req, err := build(ctx)
		if err != nil {
			return nil, err
		}
		return c.core.Doer().Do(req)
	})
}

// pageToken names the page to fetch: the zero value is the first page.
type pageToken = paging.Token

// paginate walks every page through the library's pagination loop, which
// reads the paging members of each body the server sent (pages.next as an
// object or a URL, page numbers, scroll_param), follows whichever says there
// is more, and fails rather than stop early on a shape it cannot follow; it
// stops on a repeated cursor and after its safety cap. fetch gets the page
// a token names and hands its body to recordPage.
func paginate[P any, Item any](ctx context.Context,
	fetch func(ctx context.Context, next pageToken) (*P, error),
	items func(*P) []Item) iter.Seq2[Item, error] {
	return paging.All(ctx, paging.Lister[P, Item]{Fetch: fetch, Items: items})
}

// recordPage hands a page's body to the pagination loop that asked for it
// through ctx.
func recordPage(ctx context.Context, body []byte) { paging.Record(ctx, body) }

// shippedVersions lists the versions the library has a package for.
func shippedVersions() []string {
	var out []string
	for _, v := range intercom.ShippedVersions() {
		out = append(out, v.String())
	}
	return out
}

func asAPIError(err error) (*apiError, bool) {
	var e *apiError
	ok := errors.As(err, &e)
	return e, ok
}
