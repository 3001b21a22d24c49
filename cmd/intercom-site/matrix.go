package main

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// A cell's state: what the column's version did to the row's operation,
// compared with the version before it.
const (
	stateAbsent    = "absent"    // not in this version, nor in the one before
	statePresent   = "present"   // in the first version: nothing to compare with
	stateAdded     = "added"     // new in this version
	stateUnchanged = "unchanged" // no change tied to it
	stateChanged   = "changed"   // changes, none breaking
	stateBreaking  = "breaking"  // at least one breaking change
	stateRemoved   = "removed"   // in the version before, not in this one
)

// stateMarks is the text mark of each state, shown beside its colour so that
// the matrix reads without telling colours apart.
var stateMarks = map[string]string{
	stateAbsent:    "",
	statePresent:   "●",
	stateAdded:     "+",
	stateUnchanged: "=",
	stateChanged:   "Δ",
	stateBreaking:  "!",
	stateRemoved:   "×",
}

// deprecatedMark is added to the mark of a deprecated operation.
const deprecatedMark = "†"

// stateLabels describe the states in the legend and in the cells' labels.
var stateLabels = map[string]string{
	stateAbsent:    "absent",
	statePresent:   "present (first version)",
	stateAdded:     "added",
	stateUnchanged: "unchanged",
	stateChanged:   "changed, not breaking",
	stateBreaking:  "changed, breaking",
	stateRemoved:   "removed",
}

type cell struct {
	Version    string
	State      string
	Deprecated bool
	// Counts of the changes from the version before, by level; Go counts
	// only the typed surface (not the raw client).
	Breaking, Warning, NonBreaking int
}

type row struct {
	ID  string // permalink fragment, from the first spelling of the operation
	Key string // opKey
	// Method, Path, OperationID and GoMethod as the latest version that has
	// the operation spells them.
	Method, Path, OperationID, GoMethod string
	Tag                                 string
	Cells                               []cell
}

type tagGroup struct {
	Tag  string
	ID   string
	Rows []*row
}

type matrix struct {
	Versions []string
	Groups   []tagGroup
	Rows     []*row // every row, in the groups' order
}

// untagged names the group of operations that have no tag.
const untagged = "(no tag)"

// buildMatrix lays out one row per operation found in any version and one
// cell per version, with the state that the facts and the changes give.
func buildMatrix(facts []versionFacts, cs *changeSet) (*matrix, error) {
	m := &matrix{}
	for _, vf := range facts {
		m.Versions = append(m.Versions, vf.Version)
	}
	if !slices.Equal(m.Versions, cs.Versions) {
		return nil, fmt.Errorf("%s covers versions %v, the packages are %v; run `make generate`", changesFile, cs.Versions, m.Versions)
	}
	if len(cs.Pairs) != len(m.Versions)-1 {
		return nil, fmt.Errorf("%s has %d pairs for %d versions; run `make generate`", changesFile, len(cs.Pairs), len(m.Versions))
	}
	pairOps := make([]map[string]opChanges, len(cs.Pairs))
	for i, p := range cs.Pairs {
		if p.From != m.Versions[i] || p.To != m.Versions[i+1] {
			return nil, fmt.Errorf("%s: pair %d is %s → %s, want %s → %s", changesFile, i, p.From, p.To, m.Versions[i], m.Versions[i+1])
		}
		pairOps[i] = map[string]opChanges{}
		for _, o := range p.Ops {
			if facts[i].Ops[o.Key] == nil && facts[i+1].Ops[o.Key] == nil {
				return nil, fmt.Errorf("%s: %s → %s has changes for %s, which neither version has; run `make generate`", changesFile, p.From, p.To, o.Key)
			}
			pairOps[i][o.Key] = o
		}
	}

	var keys []string
	seen := map[string]bool{}
	for _, vf := range facts {
		for k := range vf.Ops {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	ids := map[string]string{}
	groups := map[string]*tagGroup{}
	for _, k := range keys {
		r := &row{Key: k}
		for i := len(facts) - 1; i >= 0; i-- {
			if f := facts[i].Ops[k]; f != nil {
				r.Method, r.Path, r.OperationID, r.GoMethod = f.Method, f.Path, f.OperationID, f.GoMethod
				r.Tag = untagged
				if len(f.Tags) > 0 {
					r.Tag = f.Tags[0]
				}
				break
			}
		}
		// The permalink follows the first version's spelling, which later
		// versions cannot change.
		for _, vf := range facts {
			if f := vf.Ops[k]; f != nil {
				r.ID = slug(f.Method + " " + f.Path)
				break
			}
		}
		if other, dup := ids[r.ID]; dup {
			return nil, fmt.Errorf("operations %s and %s have the same permalink %q", other, k, r.ID)
		}
		ids[r.ID] = k
		for i, vf := range facts {
			r.Cells = append(r.Cells, cellFor(i, vf, facts, pairOps, k))
		}
		g := groups[r.Tag]
		if g == nil {
			g = &tagGroup{Tag: r.Tag, ID: "tag-" + slug(r.Tag)}
			groups[r.Tag] = g
		}
		g.Rows = append(g.Rows, r)
	}
	for _, g := range groups {
		slices.SortFunc(g.Rows, func(a, b *row) int {
			return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method))
		})
		m.Groups = append(m.Groups, *g)
	}
	slices.SortFunc(m.Groups, func(a, b tagGroup) int {
		// The untagged group, if any, goes last.
		return cmp.Or(boolCompare(a.Tag == untagged, b.Tag == untagged), strings.Compare(strings.ToLower(a.Tag), strings.ToLower(b.Tag)), strings.Compare(a.Tag, b.Tag))
	})
	for _, g := range m.Groups {
		m.Rows = append(m.Rows, g.Rows...)
	}
	return m, nil
}

// boolCompare orders false before true.
func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// cellFor works out the cell of version i for operation k.
func cellFor(i int, vf versionFacts, facts []versionFacts, pairOps []map[string]opChanges, k string) cell {
	c := cell{Version: vf.Version}
	f := vf.Ops[k]
	before := i > 0 && facts[i-1].Ops[k] != nil
	switch {
	case f == nil && before:
		c.State = stateRemoved
	case f == nil:
		c.State = stateAbsent
	case i == 0:
		c.State = statePresent
	case !before:
		c.State = stateAdded
	default:
		c.State = stateUnchanged
	}
	if f != nil {
		c.Deprecated = f.Deprecated
	}
	if i == 0 {
		return c
	}
	o, ok := pairOps[i-1][k]
	if !ok {
		return c
	}
	count := func(level int) {
		switch level {
		case 0:
			c.Breaking++
		case 1:
			c.Warning++
		default:
			c.NonBreaking++
		}
	}
	for _, s := range o.Spec {
		count(s[0])
	}
	for _, g := range o.Go {
		if g[6] == 0 {
			count(g[0])
		}
	}
	// Any breaking change, of the raw client too, makes the cell breaking.
	anyBreaking := c.Breaking > 0
	for _, g := range o.Go {
		anyBreaking = anyBreaking || g[0] == 0
	}
	if c.State == stateUnchanged && len(o.Spec)+len(o.Go) > 0 {
		c.State = stateChanged
		if anyBreaking {
			c.State = stateBreaking
		}
	}
	return c
}

// Label is the cell's text for assistive technology and tooltips.
func (c cell) Label() string {
	s := c.Version + ": " + stateLabels[c.State]
	if c.Deprecated {
		s += ", deprecated"
	}
	if n := c.Breaking + c.Warning + c.NonBreaking; n > 0 {
		s += fmt.Sprintf(" (%d breaking, %d possibly breaking, %d other)", c.Breaking, c.Warning, c.NonBreaking)
	}
	return s
}

// Mark is the cell's visible text.
func (c cell) Mark() string {
	m := stateMarks[c.State]
	if c.Deprecated {
		m += deprecatedMark
	}
	return m
}

var nonSlug = regexp.MustCompile(`[^a-z0-9_]+`)

// slug turns "GET /contacts/{contact_id}" into "get-contacts-contact_id".
func slug(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
}
