package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/apipin/intercom/internal/allversions"
	"github.com/apipin/intercom/spec"
)

// The browser test opens the committed docs/site/index.html from file://
// in headless Chromium (Debian's chromium package; .ci/run installs it) and
// uses it as a reader would. `make site-screenshots` runs it with
// -screenshots, which also writes the README's screenshots.

var screenshots = flag.Bool("screenshots", false, "write the screenshots of the matrix and of a detail view to docs/site/screenshots")

// The known change the test opens: ShowContact gained a query parameter
// (and so a field of its params struct) in 2.16.
const (
	knownOperation = "ShowContact"
	knownVersion   = "2.16"
)

// Screen sizes: a common laptop and a common phone, in CSS pixels.
var (
	laptop = [2]int64{1366, 800}
	phone  = [2]int64{390, 844}
)

func findBrowser(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium found in CI: .ci/run installs Debian's chromium package (or set CHROME_PATH)")
	}
	t.Skip("no Chromium found (install Debian's chromium package or set CHROME_PATH)")
	return ""
}

// browser starts headless Chromium and returns a tab's context, and a
// function that returns every console error, uncaught exception and error
// entry of the browser log (a script that failed to load is one) so far.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(findBrowser(t)),
		// CI runs as root, where Chromium's sandbox cannot start.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("hide-scrollbars", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}

	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line+1))
				mu.Unlock()
			}
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(problems)
	}
}

func siteURL(t *testing.T, fragment string) string {
	t.Helper()
	root, err := spec.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(root, "docs", "site", "index.html")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%v (run `make site`)", err)
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(p), Fragment: fragment}
	return u.String()
}

// do runs actions with a time limit, so that a missing element fails the
// test instead of waiting for ever.
func do(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return chromedp.Do(ctx, steps...)
}

// open loads the page at a screen size and waits until the script has run
// (it writes the count of shown operations).
func open(ctx context.Context, size [2]int64, fragment string, t *testing.T) error {
	return do(ctx,
		chromedp.EmulateViewport(size[0], size[1]),
		chromedp.Navigate(siteURL(t, fragment)),
		chromedp.WaitVisible(chromedp.CSS("#matrix")),
		func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Poll[bool](`document.getElementById('count').textContent.indexOf(' of ') > 0`,
				chromedp.WithPollingTimeout(10*time.Second))(ctx, tg)
			return chromedp.Void{}, err
		},
	)
}

func visibleRowIDs(ctx context.Context) ([]string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('#matrix tbody tr[id]')).filter(tr => !tr.hidden && !tr.parentNode.hidden).map(tr => tr.id)`))
}

// eval runs a JavaScript expression in the page and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func TestBrowser(t *testing.T) {
	ctx, problems := browser(t)

	// What the page must show, from the packages themselves.
	var wantVersions []string
	keys := map[string]bool{}
	for _, p := range allversions.Packages {
		wantVersions = append(wantVersions, p.Version)
		for _, o := range p.Operations {
			keys[opKey(o.Method, o.Path)] = true
		}
	}

	if err := open(ctx, laptop, "", t); err != nil {
		t.Fatalf("load the page: %v", err)
	}
	// The row of the known change, found by its operationId in that version.
	knownRow := eval[string](t, ctx, fmt.Sprintf(
		`(INTERCOM_MATRIX.rows.find(r => INTERCOM_MATRIX.strings[r.v[INTERCOM_MATRIX.versions.indexOf(%q)][1]] === %q) || {id: ''}).id`,
		knownVersion, knownOperation))
	if knownRow == "" {
		t.Fatalf("no row has operationId %s in %s", knownOperation, knownVersion)
	}
	cellSel := chromedp.CSS(fmt.Sprintf(`#%s td button[data-v="%s"]`, knownRow, knownVersion))

	t.Run("matrix", func(t *testing.T) {
		cols := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#matrix thead th[data-v]')).map(th => th.textContent)`)
		rows := eval[int](t, ctx, `document.querySelectorAll('#matrix tbody tr[id]').length`)
		if len(cols) != 11 || !slices.Equal(cols, wantVersions) {
			t.Errorf("version columns %q, want the 11 versions %q", cols, wantVersions)
		}
		if rows != len(keys) {
			t.Errorf("%d rows, want one per distinct operation: %d", rows, len(keys))
		}
		// Nothing comes from the network: every resource the page loads
		// (scripts, styles, images, frames) is a local file.
		resources := eval[[]string](t, ctx, `[location.href].concat(Array.from(document.querySelectorAll('script[src], link[href], img, iframe, object, embed, source, video, audio')).map(e => e.src || e.href || e.data || '(inline ' + e.tagName + ')'))`)
		if len(resources) != 3 || !eval[bool](t, ctx, `!!(window.INTERCOM_MATRIX && window.INTERCOM_CHANGES)`) {
			t.Errorf("the page loaded %q, want itself and its two data scripts", resources)
		}
		for _, r := range resources {
			if !strings.HasPrefix(r, "file://") {
				t.Errorf("the page loaded %s, which is not a local file", r)
			}
		}
		if *screenshots {
			shoot(ctx, t, "matrix.png")
		}
	})

	t.Run("detail of a known change", func(t *testing.T) {
		state := eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).parentNode.className`, string(cellSel)))
		if state != "s-"+stateBreaking {
			t.Errorf("ShowContact's 2.16 cell has class %q, want s-%s", state, stateBreaking)
		}
		if err := do(ctx, chromedp.Click(cellSel), chromedp.WaitVisible(chromedp.CSS("#detail"))); err != nil {
			t.Fatal(err)
		}
		text := eval[string](t, ctx, `document.getElementById('detail').innerText`)
		for _, want := range []string{
			"ShowContact", "in 2.16", "compared with 2.15",
			"include_merge_history",                 // the spec change: a new query parameter
			"func (c *Client) ShowContact(ctx",      // the Go signature
			"ShowContactParams.IncludeMergeHistory", // the Go change: the params struct's new field
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the detail view lacks %q; it reads:\n%s", want, text)
			}
		}
		if hash, want := eval[string](t, ctx, `location.hash`), "#op="+knownRow+"&v="+knownVersion; hash != want {
			t.Errorf("after the click the address ends in %q, want the permalink %q", hash, want)
		}
		if *screenshots {
			shoot(ctx, t, "detail.png")
		}
	})

	t.Run("keyboard", func(t *testing.T) {
		if n := eval[int](t, ctx, `document.querySelectorAll('#matrix td button[tabindex="0"]').length`); n != 1 {
			t.Errorf("%d cells are in the tab order, want 1 (arrow keys move between cells)", n)
		}
		eval[bool](t, ctx, fmt.Sprintf(`document.querySelector(%q).focus(), true`, string(cellSel)))
		if err := do(ctx, chromedp.KeyEvent(kb.ArrowRight)); err != nil {
			t.Fatal(err)
		}
		if got := eval[string](t, ctx, `document.activeElement.closest('tr').id + ' ' + document.activeElement.getAttribute('data-v')`); got != knownRow+" Preview" {
			t.Errorf("ArrowRight from %s %s went to %q", knownRow, knownVersion, got)
		}
		if err := do(ctx, chromedp.KeyEvent(kb.ArrowUp)); err != nil {
			t.Fatal(err)
		}
		if got := eval[string](t, ctx, `document.activeElement.getAttribute('data-v') + ' ' + (document.activeElement.closest('tr').id !== '`+knownRow+`')`); got != "Preview true" {
			t.Errorf("ArrowUp went to %q, want the Preview cell of another row", got)
		}
		if err := do(ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#detail"))); err != nil {
			t.Fatal(err)
		}
		if err := do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
			t.Fatal(err)
		}
		if !eval[bool](t, ctx, `document.getElementById('detail').hidden && document.activeElement.getAttribute('data-v') === 'Preview'`) {
			t.Errorf("Escape did not close the details and return to the cell")
		}
	})

	t.Run("permalink opens the detail", func(t *testing.T) {
		if err := open(ctx, laptop, "op="+knownRow+"&v="+knownVersion, t); err != nil {
			t.Fatal(err)
		}
		hidden := eval[bool](t, ctx, `document.getElementById('detail').hidden`)
		title := eval[string](t, ctx, `document.getElementById('detail-title').textContent`)
		if hidden || !strings.Contains(title, "ShowContact") || !strings.Contains(title, "2.16") {
			t.Errorf("the permalink shows detail hidden=%v, title %q", hidden, title)
		}
	})

	t.Run("tag filter", func(t *testing.T) {
		if err := open(ctx, laptop, "", t); err != nil {
			t.Fatal(err)
		}
		if err := do(ctx, chromedp.SetValue(chromedp.CSS("#f-tag"), "Contacts")); err != nil {
			t.Fatal(err)
		}
		eval[bool](t, ctx, `document.getElementById('f-tag').dispatchEvent(new Event('change'))`)
		inTag := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('tbody[data-tag="Contacts"] tr[id]')).map(tr => tr.id)`)
		shown, err := visibleRowIDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(inTag) == 0 || len(inTag) == len(keys) || !slices.Equal(shown, inTag) || !slices.Contains(shown, knownRow) {
			t.Errorf("tag Contacts shows %d rows %v, want its %d rows", len(shown), shown, len(inTag))
		}
	})

	t.Run("search", func(t *testing.T) {
		if err := open(ctx, laptop, "", t); err != nil {
			t.Fatal(err)
		}
		if err := do(ctx, chromedp.SendKeys(chromedp.CSS("#f-q"), "showcontact")); err != nil {
			t.Fatal(err)
		}
		shown, err := visibleRowIDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(shown, knownRow) || len(shown) >= len(keys) {
			t.Errorf("searching showcontact shows %v", shown)
		}
		texts := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#matrix tbody tr[id]')).filter(tr => !tr.hidden).map(tr => tr.getAttribute('data-search'))`)
		for _, text := range texts {
			if !strings.Contains(text, "showcontact") {
				t.Errorf("row %q does not match the search", text)
			}
		}
	})

	t.Run("changed between two versions", func(t *testing.T) {
		if err := open(ctx, laptop, "from=2.15&to=2.16", t); err != nil {
			t.Fatal(err)
		}
		shown, err := visibleRowIDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		col := slices.Index(wantVersions, "2.16") + 1
		want := eval[[]string](t, ctx, fmt.Sprintf(
			`Array.from(document.querySelectorAll('#matrix tbody tr[id]')).filter(tr => /s-(added|changed|breaking|removed)/.test(tr.cells[%d].className)).map(tr => tr.id)`, col))
		if len(want) == 0 || len(want) == len(keys) || !slices.Equal(shown, want) {
			t.Errorf("2.15 → 2.16 shows %d rows, want the %d whose 2.16 cell changed", len(shown), len(want))
		}
	})

	t.Run("phone", func(t *testing.T) {
		if err := open(ctx, phone, "", t); err != nil {
			t.Fatal(err)
		}
		// The table scrolls inside its box; the page itself must not.
		if w := eval[float64](t, ctx, `document.documentElement.scrollWidth`); w > float64(phone[0]) {
			wide := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('body *')).filter(e => !e.closest('.scroll') && e.getBoundingClientRect().right > innerWidth + 1).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 10)`)
			t.Errorf("on a %dpx screen the page is %.0fpx wide; too wide: %q", phone[0], w, wide)
		}
		if w := eval[float64](t, ctx, `document.querySelector('#matrix td button').getBoundingClientRect().width`); w < 28 {
			t.Errorf("a cell is %.0fpx wide on a phone, too small to tap", w)
		}
		if *screenshots {
			shoot(ctx, t, "phone-matrix.png")
		}
		if err := do(ctx, chromedp.ScrollIntoView(cellSel), chromedp.Click(cellSel), chromedp.WaitVisible(chromedp.CSS("#detail"))); err != nil {
			t.Fatal(err)
		}
		if text := eval[string](t, ctx, `document.getElementById('detail').innerText`); !strings.Contains(text, "include_merge_history") {
			t.Errorf("the phone's detail view lacks the spec change")
		}
		if *screenshots {
			shoot(ctx, t, "phone-detail.png")
		}
	})

	// The page must have reported nothing; and the listener must work, or
	// that would prove nothing: a console.error of our own must arrive.
	eval[bool](t, ctx, `console.error('intercom-site probe'), true`)
	deadline := time.Now().Add(5 * time.Second)
	for {
		p := problems()
		probe := slices.IndexFunc(p, func(s string) bool { return strings.Contains(s, "intercom-site probe") })
		if probe >= 0 {
			p = slices.Delete(p, probe, probe+1)
			if len(p) > 0 {
				t.Errorf("the page reported errors:\n  %s", strings.Join(p, "\n  "))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the console listener saw no console.error of the probe (it saw %q)", p)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// shoot writes a screenshot of the viewport to docs/site/screenshots.
func shoot(ctx context.Context, t *testing.T, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	root, err := spec.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "docs", "site", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", filepath.Join(dir, name), len(png))
}
