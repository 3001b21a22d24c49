package intercom

import (
	"fmt"
	"strings"
)

// Region is an Intercom data-hosting region. A workspace lives in exactly one
// region and its tokens only work against that region's host.
type Region struct {
	name    string
	baseURL string
}

// The regions Intercom hosts workspaces in.
var (
	RegionUS = Region{name: "us", baseURL: "https://api.intercom.io"}
	RegionEU = Region{name: "eu", baseURL: "https://api.eu.intercom.io"}
	RegionAU = Region{name: "au", baseURL: "https://api.au.intercom.io"}
)

// regions lists every Region, in the order they are suggested to users.
var regions = []Region{RegionUS, RegionEU, RegionAU}

// String returns the short name: "us", "eu" or "au".
func (r Region) String() string { return r.name }

// BaseURL returns the API root for the region, without a trailing slash.
func (r Region) BaseURL() string { return r.baseURL }

// ParseRegion accepts "us", "eu" or "au" in any case.
func ParseRegion(s string) (Region, error) {
	for _, r := range regions {
		if strings.EqualFold(strings.TrimSpace(s), r.name) {
			return r, nil
		}
	}
	return Region{}, fmt.Errorf("intercom: unknown region %q: want us, eu or au", s)
}

// regionForBaseURL returns the Region whose host is u, if any.
func regionForBaseURL(u string) (Region, bool) {
	for _, r := range regions {
		if r.baseURL == u {
			return r, true
		}
	}
	return Region{}, false
}
