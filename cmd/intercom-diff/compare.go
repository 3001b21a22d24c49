package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apipin/intercom/gen/specdoc"
	"github.com/apipin/intercom/internal/apiversion"
	"github.com/apipin/intercom/spec"
)

// comparer loads each version once, however many pairs it is part of.
type comparer struct {
	moduleRoot string
	compareGo  bool
	specs      map[string]*openapi3.T
	goSides    map[string]*goSide
	// roots are the prepared (prose-free) trees of the loaded specs, which
	// the facts file is read from.
	roots map[string]map[string]any
}

func newComparer(moduleRoot string, compareGo bool) *comparer {
	return &comparer{moduleRoot: moduleRoot, compareGo: compareGo,
		specs: map[string]*openapi3.T{}, goSides: map[string]*goSide{}, roots: map[string]map[string]any{}}
}

// resolveVersion turns a user's version name ("2.11", "v2.11", "preview",
// "Unstable") into the name the lock uses, or explains why it cannot.
func resolveVersion(arg string) (string, error) {
	major, minor, preview, err := apiversion.Parse(arg)
	if err != nil {
		return "", err
	}
	name := apiversion.Name(major, minor, preview)
	if !slices.Contains(spec.Versions(), name) {
		return "", fmt.Errorf("unknown Intercom-Version %q: this module ships %s",
			arg, strings.Join(spec.Versions(), ", "))
	}
	return name, nil
}

// resolvePair resolves both arguments and refuses to compare a version with
// itself, which could only ever report nothing.
func resolvePair(fromArg, toArg string) (from, to string, err error) {
	if from, err = resolveVersion(fromArg); err != nil {
		return "", "", err
	}
	if to, err = resolveVersion(toArg); err != nil {
		return "", "", err
	}
	if from == to {
		return "", "", fmt.Errorf("%q and %q both name Intercom-Version %s: give two different versions", fromArg, toArg, from)
	}
	return from, to, nil
}

// preload loads the Go packages of all the versions at once: one `go list`
// for all of them instead of one per pair.
func (c *comparer) preload(versions []string) error {
	if !c.compareGo {
		return nil
	}
	sides, err := loadGoSides(c.moduleRoot, versions)
	if err != nil {
		return err
	}
	for v, s := range sides {
		c.goSides[v] = s
	}
	return nil
}

func (c *comparer) spec(version string) (*openapi3.T, error) {
	if t, ok := c.specs[version]; ok {
		return t, nil
	}
	d, err := specdoc.Load(version)
	if err != nil {
		return nil, err
	}
	t, err := prepareSpec(d)
	if err != nil {
		return nil, err
	}
	c.specs[version] = t
	c.roots[version] = d.Root
	return t, nil
}

// compare builds the report of what changed from one version to another.
func (c *comparer) compare(from, to string) (*Report, error) {
	base, err := c.spec(from)
	if err != nil {
		return nil, err
	}
	revision, err := c.spec(to)
	if err != nil {
		return nil, err
	}
	specs, err := specChanges(base, revision, from, to)
	if err != nil {
		return nil, err
	}
	if !c.compareGo {
		return newReport(from, to, specs, nil, false), nil
	}
	var missing []string
	for _, v := range []string{from, to} {
		if c.goSides[v] == nil {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		if err := c.preload(missing); err != nil {
			return nil, errors.Join(err, errors.New("rerun with -go=false to compare the specs only"))
		}
	}
	gos := goChanges(c.goSides[from], c.goSides[to])
	return newReport(from, to, specs, gos, true), nil
}
