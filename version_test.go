package intercom

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	valid := map[string]string{
		"2.11": "2.11", "v2.7": "2.7", "V2.16": "2.16", " 2.9 ": "2.9", "1.0": "1.0", "2.010": "2.10",
		"Preview": "Preview", "preview": "Preview", "PREVIEW": "Preview",
		"Unstable": "Preview", "unstable": "Preview",
	}
	for in, want := range valid {
		v, err := ParseVersion(in)
		if err != nil || v.String() != want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %s", in, v, err, want)
		}
	}
	for _, in := range []string{"", "2", "2.", ".1", "2.x", "2.11.1", "v", "vv2.1", "0.1", "+2.1", "2.-1", "2.+1", "latest", "2,11", "v 2.1", "12345.1"} {
		if v, err := ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want error", in, v)
		} else if !strings.Contains(err.Error(), `"`+in+`"`) {
			t.Errorf("error %q does not quote the input", err)
		}
	}
}

func TestVersionPredicates(t *testing.T) {
	if !MustParseVersion("Unstable").IsPreview() || MustParseVersion("2.16").IsPreview() {
		t.Error("IsPreview")
	}
	if MustParseVersion("Unstable") != MustParseVersion("preview") {
		t.Error("Unstable and Preview must be the same Version")
	}
	if (Version{}).String() != "" {
		t.Error("zero Version must print empty")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParseVersion did not panic")
		}
	}()
	MustParseVersion("junk")
}

func TestVersionCompare(t *testing.T) {
	want := []Version{
		MustParseVersion("1.4"), MustParseVersion("2.7"), MustParseVersion("2.9"),
		MustParseVersion("2.10"), MustParseVersion("2.16"), MustParseVersion("Preview"),
	}
	got := slices.Clone(want)
	rand.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
	slices.SortFunc(got, Version.Compare)
	if !slices.Equal(got, want) {
		t.Fatalf("sorted = %v, want %v", got, want)
	}
	for i, a := range want {
		for j, b := range want {
			if c := a.Compare(b); c != compareInt(i, j) {
				t.Errorf("%v.Compare(%v) = %d", a, b, c)
			}
		}
	}
}

func TestShippedVersions(t *testing.T) {
	vs := ShippedVersions()
	if len(vs) != len(shippedVersions) || vs[0].String() != "2.7" || !vs[len(vs)-1].IsPreview() {
		t.Fatalf("ShippedVersions() = %v", vs)
	}
	if !slices.IsSortedFunc(vs, Version.Compare) {
		t.Errorf("not sorted: %v", vs)
	}
	vs[0] = Version{}
	if ShippedVersions()[0].String() != "2.7" {
		t.Error("ShippedVersions must return a copy")
	}
}

func TestNegotiate(t *testing.T) {
	shipped := ShippedVersions()
	for accept, want := range map[string]string{
		"2.11":              "2.11",
		"v2.11":             "2.11",
		"latest":            "2.16",
		" LATEST ":          "2.16",
		">=2.9,<2.14":       "2.13",
		">2.9, <=2.10":      "2.10",
		"=2.8":              "2.8",
		">=2.15":            "2.16",    // a range skips Preview…
		">=2.15,<=Preview":  "Preview", // …unless it names it
		"Preview":           "Preview",
		"Unstable":          "Preview",
		"<2.8":              "2.7",
		">=2.7,>=2.9,<2.10": "2.9",
	} {
		v, err := Negotiate(accept, shipped)
		if err != nil || v.String() != want {
			t.Errorf("Negotiate(%q) = %v, %v; want %s", accept, v, err, want)
		}
	}
	for _, accept := range []string{"2.99", ">=3.0", "<2.7", ">2.16,<Preview"} {
		_, err := Negotiate(accept, shipped)
		if !errors.Is(err, ErrUnsupportedVersion) {
			t.Errorf("Negotiate(%q) error = %v, want ErrUnsupportedVersion", accept, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, accept) || !strings.Contains(msg, "2.7") || !strings.Contains(msg, "Preview") {
			t.Errorf("error %q must name the request and the shipped versions", msg)
		}
	}
	if _, err := Negotiate("latest", []Version{MustParseVersion("Preview")}); !errors.Is(err, ErrUnsupportedVersion) {
		t.Errorf("latest with only Preview: %v", err)
	}
	if _, err := Negotiate("2.11", nil); !errors.Is(err, ErrUnsupportedVersion) {
		t.Errorf("nothing shipped: %v", err)
	}
	for _, junk := range []string{"", "~2.1", ">=", "2.x,<3", ">=2.9,", "=>2.9", "2.9>="} {
		_, err := Negotiate(junk, shipped)
		if err == nil || errors.Is(err, ErrUnsupportedVersion) {
			t.Errorf("Negotiate(%q) = %v, want a syntax error", junk, err)
		}
	}
}
