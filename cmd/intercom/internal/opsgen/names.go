package main

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/apipin/intercom/cmd/intercom/internal/ops"
)

// nameCommands sets Group and Command of every operation, then sorts each
// version's operations by them.
//
// The group is the kebab-case first tag ("AI Content" → "ai-content"). The
// command is the kebab-case operationId with the group's own words taken
// out ("ShowContact" in Contacts → "show", "listAttachedContacts" in
// Companies → "list-attached-contacts"). Names are decided over the union
// of all versions, so an operation keeps its name in every version that has
// it: where taking the words out would make two operations of a group (in
// any version) share a name, both keep their full operationId.
func nameCommands(all []versionOps) error {
	type key struct{ group, id string }
	short := map[key]string{}
	users := map[string]map[string]bool{} // group+" "+short name -> full ids
	for _, v := range all {
		for i := range v.Ops {
			o := &v.Ops[i]
			o.Group = groupName(o.Tag)
			id := kebab(nameSource(o))
			k := key{o.Group, id}
			if _, ok := short[k]; ok {
				continue
			}
			s := strip(id, o.Group)
			short[k] = s
			if users[o.Group+" "+s] == nil {
				users[o.Group+" "+s] = map[string]bool{}
			}
			users[o.Group+" "+s][id] = true
		}
	}
	for _, v := range all {
		seen := map[string]string{}
		for i := range v.Ops {
			o := &v.Ops[i]
			id := kebab(nameSource(o))
			name := short[key{o.Group, id}]
			if len(users[o.Group+" "+name]) > 1 {
				name = id
			}
			o.Command = name
			full := o.Group + " " + o.Command
			if other, dup := seen[full]; dup {
				return fmt.Errorf("%s: %s and %s %s are both named %q", v.Name, other, o.Method, o.Path, full)
			}
			seen[full] = o.Method + " " + o.Path
		}
		sort.Slice(v.Ops, func(i, j int) bool {
			if v.Ops[i].Group != v.Ops[j].Group {
				return v.Ops[i].Group < v.Ops[j].Group
			}
			return v.Ops[i].Command < v.Ops[j].Command
		})
	}
	return nil
}

// nameSource is the operationId or, for the few operations that have none,
// the method and path, as oapi-codegen names their Go methods:
// GET /export/reporting_data/{job_identifier} →
// get-export-reporting-data-job-identifier.
func nameSource(o *ops.Op) string {
	if o.ID != "" {
		return o.ID
	}
	return o.Method + " " + strings.NewReplacer("{", "", "}", "").Replace(o.Path)
}

func groupName(tag string) string {
	if tag == "" {
		return "other"
	}
	return kebab(tag)
}

// words splits an identifier or a phrase into lower-case words:
// "ShowContactByExternalId" → show contact by external id,
// "AI Content" → ai content, "listHelpCenters" → list help centers.
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && len(cur) > 0:
			prevLower := unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1])
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			// "listAdmins" splits before A; "AIContent" splits before C.
			if prevLower || (unicode.IsUpper(rs[i-1]) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

func kebab(s string) string { return strings.Join(words(s), "-") }

// strip removes the group's words (singular or plural) from a kebab-case
// operation name when they are its object: right after the first word, or
// after the first word and an article ("retrieve-a-company-by-id" in
// companies → "retrieve-by-id"). Elsewhere they stay, so that the name still
// reads ("attach-contact-to-a-company", "list-all-companies"). It keeps the
// name when nothing else would be left.
func strip(id, group string) string {
	ws, gs := strings.Split(id, "-"), strings.Split(group, "-")
	at := func(i int) bool {
		if i+len(gs) > len(ws) {
			return false
		}
		for j, g := range gs {
			if singular(ws[i+j]) != singular(g) {
				return false
			}
		}
		return true
	}
	from := -1
	switch {
	case len(ws) > len(gs) && at(1):
		from = 1
	case len(ws) > len(gs)+1 && articles[ws[1]] && at(2):
		from = 1
	}
	if from < 0 {
		return id
	}
	end := from + len(gs)
	if articles[ws[from]] {
		end++
	}
	return strings.Join(append(append([]string{}, ws[:from]...), ws[end:]...), "-")
}

var articles = map[string]bool{"a": true, "an": true, "the": true}

func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 3:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "xes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 1:
		return w[:len(w)-1]
	}
	return w
}
