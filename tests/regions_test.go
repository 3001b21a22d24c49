package tests

import (
	"slices"
	"testing"

	facade "github.com/apipin/intercom"
)

// The region hosts the facade knows are the servers every spec declares.
func TestRegionsMatchEachSpecsServers(t *testing.T) {
	regions := []string{facade.RegionUS.BaseURL(), facade.RegionEU.BaseURL(), facade.RegionAU.BaseURL()}
	for _, p := range packages {
		d := loadDoc(t, p.Version)
		var servers []string
		for _, s := range d.Root["servers"].([]any) {
			servers = append(servers, s.(map[string]any)["url"].(string))
		}
		slices.Sort(servers)
		want := slices.Clone(regions)
		slices.Sort(want)
		if !slices.Equal(servers, want) {
			t.Errorf("%s: spec servers %v, facade regions %v", p.Version, servers, want)
		}
	}
}
