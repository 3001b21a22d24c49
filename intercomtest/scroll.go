package intercomtest

import (
	"fmt"
	"net/http"
	"sort"
	"time"
)

// scrollTTL is how long an idle scroll stays open. The API expires scrolls
// after about a minute without use, which frees the workspace's only slot.
const scrollTTL = time.Minute

type scrollState struct {
	param    string
	after    uint64 // sequence of the last company handed out
	lastUsed time.Time
}

type wireScroll struct {
	Type        string        `json:"type"`
	Data        []wireCompany `json:"data"`
	Pages       *wirePages    `json:"pages"`       // always null for scrolls
	TotalCount  *int          `json:"total_count"` // always null for scrolls
	ScrollParam string        `json:"scroll_param"`
}

// scrollCompanies walks all companies in batches. A call without scroll_param
// opens the workspace's single scroll; later calls pass the returned
// scroll_param; an empty batch means the end and closes the scroll.
func (st *store) scrollCompanies(r *http.Request, _ []byte) (any, *apiError) {
	now := st.now()
	if sc := st.scroll; sc != nil && now.Sub(sc.lastUsed) > scrollTTL {
		st.scroll = nil
	}
	param := r.URL.Query().Get("scroll_param")
	switch {
	case param == "" && st.scroll != nil:
		return nil, errf(http.StatusBadRequest, "scroll_exists",
			"a company scroll is already open; finish it or let it expire before starting another")
	case param == "":
		st.scroll = &scrollState{param: fmt.Sprintf("5c7011a0-0000-4000-8000-%012x", st.nextSeq()), lastUsed: now}
	case st.scroll == nil || st.scroll.param != param:
		return nil, errf(http.StatusBadRequest, "parameter_invalid",
			"scroll_param %q is unknown, finished or expired", param).on("scroll_param")
	}
	sc := st.scroll
	start := sort.Search(len(st.companies), func(i int) bool { return st.companies[i].seq > sc.after })
	batch := st.companies[start:min(start+st.pageSize, len(st.companies))]
	if len(batch) == 0 {
		st.scroll = nil
	} else {
		sc.after, sc.lastUsed = batch[len(batch)-1].seq, now
	}
	return wireScroll{Type: "list", Data: companiesData(batch), ScrollParam: sc.param}, nil
}
