// Package intercomtest runs an in-memory imitation of the Intercom REST API
// on a loopback port, so that code using the typed clients (or any HTTP
// client) can be tested end to end over real HTTP without network access or
// a workspace. cmd/intercom-fake serves the same thing standalone.
//
// # Every operation of every version
//
// Every operation of every pinned version (2.7 … 2.16 and Preview, which
// Unstable names too) answers. The server routes each request in the
// version its Intercom-Version header names (the newest numbered version
// when there is none; a version it does not serve is 400
// intercom_version_invalid), then checks it against that version's
// description, as compiled into internal/apitables by `make generate`:
//
//   - an unknown path is 404 not_found, a known path with another method
//     405 method_not_allowed;
//   - a missing required path, query or header parameter or body property
//     is 400 parameter_not_found; a value of the wrong type, outside its
//     enum or bounds is 400 parameter_invalid; a body that is not JSON, or
//     not the JSON kind the operation takes, is 400 bad_request.
//
// Errors are Intercom's error.list, with a request_id that repeats the
// X-Request-Id header. Bearer authentication and (optionally, WithRateLimit)
// fixed-window rate limiting apply first, as in the API.
//
// # What is stateful, and what is synthesized
//
// Stateful, with Intercom's rules:
//
//   - contacts (unique email, case-insensitively, and external_id; role user
//     or lead; cursor pages; search with the query language on id, email,
//     external_id, role, name and phone), companies (create-or-update keyed
//     on company_id, page numbers, POST /companies/list, a single open
//     scroll, retrieve by company_id or name), tags, and the links between
//     them (attach, detach, the 1000-companies-per-contact limit); archiving
//     and unarchiving contacts; data events (POST /events, and GET /events
//     summarizing a contact's events by name with count, first and last);
//     lookup by external_id;
//   - every other resource a version can both create and read back through
//     the API, found from the shape of its routes: notes, conversations
//     (reply, parts: close, open, snooze and assignment change the state and
//     add a part), tickets, ticket types, articles, internal articles,
//     help-centre collections, data attributes, news items, content
//     snippets, office hours, data connectors, AI content sources and more.
//     Creating stores the object (synthesized, then overlaid with what the
//     request sent), and reads, updates, deletes, lists (page numbers and
//     starting_after cursors) and searches (the query language, with
//     =, !=, ~, !~, ^, $, IN, NIN, <, <=, >, >= on any dotted field path,
//     and AND/OR groups) see it.
//
// Objects the API reads by id but cannot create (admins, teams, segments,
// help centres…) read as synthesized with the id asked for; an update or
// action on one (an admin's away mode) is stored and read back.
//
// Stored objects answer in the shape of the version each request names:
// properties the version declares keep their stored values when these fit,
// required ones that are missing are synthesized. So a contact created
// through 2.7 reads back valid for Preview's schema.
//
// Synthesized: every other operation (admins, teams, segments, events,
// messages, exports, reports, AI and calls…) answers its declared success
// status with a body made from the answer schema alone: enums take their
// first value, formats a canonical value, numbers and lengths respect their
// bounds, unions take a branch the whole schema accepts. Such a body
// decodes strictly into the generated types and passes the schema, and a
// synthesized list is always the last page (no next cursor, has_more
// false), so pagers end. No prose or example value of the descriptions is
// used.
//
// SeedList fills any list of any version with as many objects as a test
// needs: a stored collection gets them as if created through the API, a
// synthesized list answers with them from then on. Lists page like
// Intercom's: page and per_page, starting_after (pagination in a search
// body), pages.page and pages.total_pages, and pages.next while more
// remain: a cursor object, or the next page's URL where the version
// declares pages.next a string.
//
// Unknown ids of stored resources are 404, as in the API; WithImplicitObjects
// makes them name objects created on first use, so any route can be called
// without seeding first.
//
// # Faults, state and determinism
//
// InjectFault makes a route (or every route) slow, rate limited (429 with
// X-RateLimit-* and Retry-After), fail with 5xx, reset the connection or
// send a truncated body, for resilience tests. SaveState and LoadState
// write and read the whole workspace as JSON. Identifiers, request ids and
// scroll parameters come from counters, so two runs of the same test see
// the same values; WithClock fixes the time.
package intercomtest
