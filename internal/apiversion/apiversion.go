// Package apiversion parses the names of Intercom-Version values. The root
// package's ParseVersion is built on it, and so is the intercom-diff
// command, which reads versions from its command line without linking the
// library (its checks are then keyed on the library's API, not its code:
// scripts/unchanged.sh, api: inputs).
package apiversion

import (
	"fmt"
	"strconv"
	"strings"
)

// PreviewName is the header value of the rolling preview version. Intercom
// used to call it "Unstable" and still accepts that name, so Parse maps both
// to the preview.
const PreviewName = "Preview"

// Parse parses "2.11", "v2.11", "Preview" or its older name "Unstable"
// (case-insensitive for the named versions). For the preview it returns
// preview true and zero numbers.
func Parse(s string) (major, minor int, preview bool, err error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, PreviewName) || strings.EqualFold(t, "unstable") {
		return 0, 0, true, nil
	}
	if len(t) > 0 && (t[0] == 'v' || t[0] == 'V') {
		t = t[1:]
	}
	ma, mi, ok := strings.Cut(t, ".")
	if ok {
		a, errA := parseNumber(ma)
		b, errB := parseNumber(mi)
		if errA == nil && errB == nil && a > 0 {
			return a, b, false, nil
		}
	}
	return 0, 0, false, fmt.Errorf("intercom: invalid API version %q: want MAJOR.MINOR such as \"2.11\" (a leading \"v\" is allowed) or \"Preview\"", s)
}

// Name is the header value of a parsed version: "2.11" or "Preview".
func Name(major, minor int, preview bool) string {
	if preview {
		return PreviewName
	}
	return strconv.Itoa(major) + "." + strconv.Itoa(minor)
}

// parseNumber accepts plain decimal digits only: strconv.Atoi alone would
// also take "+1" or "-0", which are not version numbers.
func parseNumber(s string) (int, error) {
	if s == "" || len(s) > 4 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, strconv.ErrSyntax
	}
	return strconv.Atoi(s)
}
