package intercomtest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Data events: POST /events records what a contact did, GET /events
// summarizes a contact's events by name (count, first and last time).

type dataEvent struct {
	name      string
	createdAt int64
	userID    string // the caller's user_id
	contactID string // Intercom's id ("id" in the body, intercom_user_id in queries)
	email     string
	metadata  map[string]any
}

func (st *store) createEvent(_ *http.Request, body []byte) (any, *apiError) {
	var in struct {
		EventName *string        `json:"event_name"`
		CreatedAt *int64         `json:"created_at"`
		UserID    string         `json:"user_id"`
		ID        string         `json:"id"`
		Email     string         `json:"email"`
		Metadata  map[string]any `json:"metadata"`
	}
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	if in.EventName == nil || strings.TrimSpace(*in.EventName) == "" {
		return nil, errf(http.StatusBadRequest, "parameter_not_found", "an event needs an event_name").on("event_name")
	}
	if in.UserID == "" && in.ID == "" && in.Email == "" {
		return nil, errf(http.StatusBadRequest, "parameter_not_found", "an event needs one of user_id, id or email")
	}
	ev := dataEvent{name: *in.EventName, userID: in.UserID, contactID: in.ID, email: strings.ToLower(in.Email), metadata: in.Metadata}
	if in.CreatedAt != nil {
		ev.createdAt = *in.CreatedAt
	} else {
		ev.createdAt = st.stamp().Unix()
	}
	st.events = append(st.events, ev)
	return nil, nil
}

type wireEventSummary struct {
	Type      string `json:"type"`
	Name      string `json:"name"`
	EventName string `json:"event_name"`
	First     string `json:"first"` // date-times, as the API writes them
	Last      string `json:"last"`
	CreatedAt int64  `json:"created_at"`
	Count     int    `json:"count"`
}

type wireEvents struct {
	Type           string             `json:"type"`
	UserID         string             `json:"user_id,omitempty"`
	Email          string             `json:"email,omitempty"`
	IntercomUserID string             `json:"intercom_user_id,omitempty"`
	Events         []wireEventSummary `json:"events"`
}

// listEvents serves GET /events?type=user&user_id=… (or email, or
// intercom_user_id): the contact's events, one entry per name.
func (st *store) listEvents(r *http.Request, _ []byte) (any, *apiError) {
	q := r.URL.Query()
	userID, email, contactID := q.Get("user_id"), strings.ToLower(q.Get("email")), q.Get("intercom_user_id")
	if userID == "" && email == "" && contactID == "" {
		return nil, errf(http.StatusBadRequest, "parameter_not_found", "filter by one of user_id, email or intercom_user_id").on("filter")
	}
	out := wireEvents{Type: "event.summary", UserID: userID, Email: q.Get("email"), IntercomUserID: contactID, Events: []wireEventSummary{}}
	byName := map[string]int{}
	first, last := map[string]int64{}, map[string]int64{}
	for _, ev := range st.events {
		if userID != "" && ev.userID != userID || email != "" && ev.email != email || contactID != "" && ev.contactID != contactID {
			continue
		}
		i, seen := byName[ev.name]
		if !seen {
			i = len(out.Events)
			byName[ev.name] = i
			out.Events = append(out.Events, wireEventSummary{Type: "event.summary", Name: ev.name, EventName: ev.name})
			first[ev.name], last[ev.name] = ev.createdAt, ev.createdAt
		}
		s := &out.Events[i]
		s.Count++
		first[ev.name] = min(first[ev.name], ev.createdAt)
		last[ev.name] = max(last[ev.name], ev.createdAt)
		s.First = time.Unix(first[ev.name], 0).UTC().Format(time.RFC3339)
		s.Last = time.Unix(last[ev.name], 0).UTC().Format(time.RFC3339)
		s.CreatedAt = last[ev.name]
	}
	slices.SortStableFunc(out.Events, func(a, b wireEventSummary) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
