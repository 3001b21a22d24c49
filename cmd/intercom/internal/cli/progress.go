package cli

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress is the line --all keeps up to date on stderr: items, pages, the
// rate-limit figures of the last answer, and an ETA once the list has said
// how long it is. A nil *progress does nothing.
type progress struct {
	w     io.Writer
	now   func() time.Time
	start time.Time

	mu                sync.Mutex
	items, pages      int
	total             int
	unit              string // "items" or "pages"
	rateKnown         bool
	remaining, limit  int
	lastDraw          time.Time
	drawn             bool
	minRedrawInterval time.Duration
}

func newProgress(w io.Writer, now func() time.Time) *progress {
	return &progress{w: w, now: now, start: now(), minRedrawInterval: 100 * time.Millisecond}
}

// response records the rate-limit figures of an answer.
func (p *progress) response(ri responseInfo) {
	if p == nil || !ri.rateKnown {
		return
	}
	p.mu.Lock()
	p.rateKnown, p.remaining, p.limit = true, ri.remaining, ri.limit
	p.mu.Unlock()
}

// page records a page (and what it says of the list's length).
func (p *progress) page(total int, unit string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages++
	if total > 0 {
		p.total, p.unit = total, unit
	}
	p.draw(true)
}

func (p *progress) item() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.items++
	p.draw(false)
	p.mu.Unlock()
}

// done draws the final figures and ends the line.
func (p *progress) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(true)
	fmt.Fprint(p.w, "\n")
}

// draw rewrites the line, at most every minRedrawInterval unless forced.
func (p *progress) draw(force bool) {
	now := p.now()
	if !force && p.drawn && now.Sub(p.lastDraw) < p.minRedrawInterval {
		return
	}
	p.lastDraw, p.drawn = now, true
	fmt.Fprintf(p.w, "\r\x1b[K%s", p.line(now))
}

func (p *progress) line(now time.Time) string {
	s := fmt.Sprintf("%d items, %d pages", p.items, p.pages)
	if p.rateKnown {
		s += fmt.Sprintf(", rate limit %d/%d left", p.remaining, p.limit)
	}
	elapsed := now.Sub(p.start)
	done := p.items
	if p.unit == "pages" {
		done = p.pages
	}
	if p.total > 0 && done > 0 && done < p.total && elapsed > 0 {
		eta := time.Duration(float64(elapsed) / float64(done) * float64(p.total-done))
		s += fmt.Sprintf(", %d %s in all, ETA %s", p.total, p.unit, eta.Round(time.Second))
	} else if p.total > 0 {
		s += fmt.Sprintf(", %d %s in all", p.total, p.unit)
	}
	return s
}
