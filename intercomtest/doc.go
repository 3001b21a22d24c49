// Package intercomtest runs a small, stateful, in-memory imitation of the
// Intercom REST API on a loopback port, so that code using the typed clients
// can be tested end to end over real HTTP without network access or a
// workspace.
//
// The server keeps contacts, companies, tags and the links between them, and
// it enforces the same rules the real API does for the routes it covers:
// bearer authentication, the Intercom-Version header, error.list bodies with a
// request id, the four pagination styles, create-or-update of companies keyed
// on company_id, the 1000-companies-per-contact limit, a single open company
// scroll, and (optionally) fixed-window rate limiting.
//
// Routes it does not cover answer 501 with the code "not_implemented" instead
// of pretending to succeed, so a test can never pass by accident against an
// endpoint the fake does not know.
//
// Identifiers, request ids and scroll parameters come from counters, so two
// runs of the same test see the same values.
package intercomtest
