package intercom

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/apipin/intercom/internal/apiversion"
)

// Version is an Intercom REST API version, the value of the Intercom-Version
// header. The zero Version is invalid; obtain one from ParseVersion.
//
// Versions are comparable with ==, so they can be map keys.
type Version struct {
	major, minor int
	preview      bool
}

// ErrUnsupportedVersion is returned (wrapped) by Negotiate when no shipped
// version satisfies the request.
var ErrUnsupportedVersion = errors.New("intercom: unsupported API version")

// ParseVersion parses "2.11", "v2.11", "Preview" or its older name
// "Unstable" (case-insensitive for the named versions).
func ParseVersion(s string) (Version, error) {
	major, minor, preview, err := apiversion.Parse(s)
	if err != nil {
		return Version{}, err
	}
	return Version{major: major, minor: minor, preview: preview}, nil
}

// MustParseVersion is ParseVersion for constants; it panics on invalid input.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// String returns the header value: "2.11" or "Preview". The zero Version
// returns "".
func (v Version) String() string {
	if v.isZero() {
		return ""
	}
	return apiversion.Name(v.major, v.minor, v.preview)
}

// IsPreview reports whether v is the rolling Preview (formerly Unstable)
// version, whose shape may change without a new version number.
func (v Version) IsPreview() bool { return v.preview }

func (v Version) isZero() bool { return v == Version{} }

// Compare returns -1, 0 or +1 as v is older than, equal to or newer than w.
// Preview sorts after every numbered version because it previews what the
// next numbered version will contain.
func (v Version) Compare(w Version) int {
	if v.preview != w.preview {
		if v.preview {
			return 1
		}
		return -1
	}
	if c := compareInt(v.major, w.major); c != 0 {
		return c
	}
	return compareInt(v.minor, w.minor)
}

func compareInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// shipped is parsed once: the list is generated and cannot be invalid
// unless the generator is broken, in which case failing loudly is right.
var shipped = sync.OnceValue(func() []Version {
	vs := make([]Version, len(shippedVersions))
	for i, s := range shippedVersions {
		vs[i] = MustParseVersion(s)
	}
	slices.SortFunc(vs, Version.Compare)
	return vs
})

// ShippedVersions returns the versions this module has a package for
// (api/v2.7 … api/preview), oldest first. The slice is a fresh copy.
func ShippedVersions() []Version { return slices.Clone(shipped()) }

// Negotiate picks the newest version in shipped that satisfies accept:
//
//   - an exact version: "2.11", "v2.11", "Preview";
//   - "latest": the newest numbered version (never Preview);
//   - a range of comma-separated constraints, each one of the operators
//     >=, >, <=, <, = followed by a version: ">=2.9,<2.14".
//
// A range selects Preview only when one of its constraints names Preview,
// for the same reason semver ranges skip pre-releases: ">=2.14" is a request
// for a stable version. When nothing matches, the error wraps
// ErrUnsupportedVersion and names both accept and the shipped versions.
func Negotiate(accept string, shipped []Version) (Version, error) {
	match, err := parseAccept(accept)
	if err != nil {
		return Version{}, err
	}
	best, found := Version{}, false
	for _, v := range shipped {
		if match(v) && (!found || v.Compare(best) > 0) {
			best, found = v, true
		}
	}
	if !found {
		names := make([]string, len(shipped))
		for i, v := range shipped {
			names[i] = v.String()
		}
		return Version{}, fmt.Errorf("%w: %q matches none of the shipped versions [%s]",
			ErrUnsupportedVersion, accept, strings.Join(names, " "))
	}
	return best, nil
}

// parseAccept turns an accept expression into a predicate.
func parseAccept(accept string) (func(Version) bool, error) {
	a := strings.TrimSpace(accept)
	if strings.EqualFold(a, "latest") {
		return func(v Version) bool { return !v.preview && !v.isZero() }, nil
	}
	if v, err := ParseVersion(a); err == nil {
		return func(w Version) bool { return w == v }, nil
	}
	var preds []func(Version) bool
	namesPreview := false
	for part := range strings.SplitSeq(a, ",") {
		part = strings.TrimSpace(part)
		op := strings.TrimRightFunc(part, func(r rune) bool { return r != '<' && r != '>' && r != '=' })
		v, err := ParseVersion(part[len(op):])
		test, ok := rangeOps[op]
		if err != nil || !ok {
			return nil, fmt.Errorf("intercom: invalid version constraint %q in %q: want an exact version, \"latest\", or constraints like \">=2.9,<2.14\"", part, accept)
		}
		namesPreview = namesPreview || v.preview
		preds = append(preds, func(w Version) bool { return test(w.Compare(v)) })
	}
	return func(v Version) bool {
		if v.preview && !namesPreview {
			return false
		}
		for _, p := range preds {
			if !p(v) {
				return false
			}
		}
		return true
	}, nil
}

// rangeOps maps a constraint operator to a test on Compare's result.
var rangeOps = map[string]func(int) bool{
	">=": func(c int) bool { return c >= 0 },
	">":  func(c int) bool { return c > 0 },
	"<=": func(c int) bool { return c <= 0 },
	"<":  func(c int) bool { return c < 0 },
	"=":  func(c int) bool { return c == 0 },
}
