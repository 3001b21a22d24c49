package intercom

import (
	"fmt"
	"strconv"
)

// PageNumber parses a page-number token produced by NextPageNumber. The
// generated iterators of page-numbered lists use it to set the page
// parameter of the next request.
func PageNumber(token string) (int, error) {
	n, err := strconv.Atoi(token)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("intercom: invalid page token %q", token)
	}
	return n, nil
}
