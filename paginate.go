package intercom

import "github.com/apipin/intercom/internal/paging"

// ErrRepeatedCursor is yielded by an iterator (a …All method) when the API
// hands back a page token it already returned: following it would loop
// forever.
var ErrRepeatedCursor = paging.ErrRepeatedCursor

// ErrUnfollowablePage is wrapped by the error an iterator yields when a
// page says there is more in a shape it cannot follow (a pages.next URL
// that names neither starting_after nor page, has_more without a cursor):
// the iterator fails rather than stop early without a word.
var ErrUnfollowablePage = paging.ErrUnfollowable
