package desk_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/desk/desk"
	"github.com/shouhou/shouhou/examples/desk/internal/need"
)

// chromium finds the browser: $CHROMIUM, else Debian's /usr/bin/chromium.
// Without one the test fails where CI=true and skips elsewhere.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	need.Missing(t, "no Chromium: set CHROMIUM to its path, or install Debian's package: sudo apt-get install --no-install-recommends chromium (scripts/test does it)")
	return ""
}

// browser starts a headless Chromium of its own, with a fresh profile and
// the flags that keep it off the network, and returns a tab's context.
func browser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	path := chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 820),
	)
	t.Cleanup(acancel)
	tab, tcancel := chromedp.NewContext(actx)
	t.Cleanup(tcancel)
	return tab
}

// screenshots is where the test writes its screenshots: $DESK_SCREENSHOTS,
// else a temporary folder of the test's.
func screenshots(t *testing.T) string {
	if dir := os.Getenv("DESK_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

func shoot(t *testing.T, tab context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d bytes)", path, len(png))
}

func text(t *testing.T, tab context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// submit clicks a button that submits a form and waits for the page it
// leads to, returning its HTTP status.
func submit(t *testing.T, tab context.Context, sel string) int64 {
	t.Helper()
	resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
	return resp.Status
}

func open(t *testing.T, tab context.Context, url string) {
	t.Helper()
	resp, err := chromedp.Run(tab, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	if resp.Status != 200 {
		t.Fatalf("opening %s: status %d", url, resp.Status)
	}
}

// TestMerchantInTheBrowser is the merchant's morning at the desk, in a real
// browser: open the queue, open a return waiting for review, approve it
// and see its state and countdown change; send a rejection without a
// reason and see the library's refusal, with nothing changed; move the
// demo clock two days and see the review timeout approve another case.
func TestMerchantInTheBrowser(t *testing.T) {
	tab := browser(t, 90*time.Second)
	env := newEnv(t)
	shots := screenshots(t)

	// The queue: merchant first, by deadline.
	open(t, tab, env.url+"/")
	if err := chromedp.Do(tab, chromedp.WaitVisible(chromedp.CSS("#queue tbody tr"))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, tab, "#queue tbody tr:first-child .who"); !strings.Contains(got, "商家") {
		t.Errorf("first row of the queue waits for %q, want the merchant", got)
	}
	shoot(t, tab, shots, "queue.png")

	// Filter the returns and open the first one waiting for review.
	if err := chromedp.Do(tab, chromedp.SetValue(chromedp.CSS("#kind"), "return_refund")); err != nil {
		t.Fatal(err)
	}
	if st := submit(t, tab, "form.filters button[type=submit]"); st != 200 {
		t.Fatalf("filtering: status %d", st)
	}
	row := `#queue tr[data-state="pending_review"][data-kind="return_refund"]`
	caseID := firstCase(t, tab, row)
	if caseID == "" {
		t.Fatal("no return waiting for review on the first page")
	}
	if st := submit(t, tab, row+" td.case a"); st != 200 {
		t.Fatalf("opening case %s: status %d", caseID, st)
	}
	if got := text(t, tab, "#state"); !strings.Contains(got, "待商家处理") {
		t.Fatalf("case %s is in %q, want 待商家处理", caseID, got)
	}
	before := text(t, tab, ".due-big .countdown")

	// Approve: the buyer is to send the goods back, with ten days for it.
	if st := submit(t, tab, "#form-approve button[type=submit]"); st != 200 {
		t.Fatalf("approving: status %d", st)
	}
	if got := text(t, tab, "#state"); !strings.Contains(got, "待买家退货") {
		t.Errorf("after approve the case is in %q, want 待买家退货", got)
	}
	approved := env.load(t, orderOf(caseID)).Case(caseID)
	after := text(t, tab, ".due-big .countdown")
	if want := desk.Chinese.Left(approved.Deadline().At, env.clock.Now()); after == before || after != want {
		t.Errorf("countdown before approve %q, after %q; want it to change to %q, the ten days of awaiting_return", before, after, want)
	}
	if got := text(t, tab, "#done"); !strings.Contains(got, "同意") {
		t.Errorf("the page says %q after approve, want it to say what was done", got)
	}
	if approved.State() != aftersale.StateAwaitingReturn {
		t.Errorf("stored case %s is in %s, want awaiting_return", caseID, approved.State())
	}

	// Another case waiting for review: reject it without a reason.
	open(t, tab, env.url+"/?mine=1")
	other := firstCase(t, tab, `#queue tr[data-state="pending_review"]`)
	if other == "" {
		t.Fatal("no other case waiting for review")
	}
	if st := submit(t, tab, `#queue tr[data-case="`+other+`"] td.case a`); st != 200 {
		t.Fatalf("opening case %s: status %d", other, st)
	}
	stored := env.load(t, orderOf(other))
	_, wantErr := env.engine.ApplyAt(env.clock.Now(), stored, aftersale.Command{
		Case: other, Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject})
	var want *aftersale.Error
	if !errors.As(wantErr, &want) {
		t.Fatalf("the engine accepted a reject without a reason: %v", wantErr)
	}
	version := stored.Version()
	if st := submit(t, tab, "#form-reject button[type=submit]"); st != 422 {
		t.Errorf("reject without a reason: status %d, want 422", st)
	}
	if got := text(t, tab, "#refusal .refusal-zh"); got != want.Zh {
		t.Errorf("the refusal shown is %q, want the library's %q", got, want.Zh)
	}
	if got := text(t, tab, "#state"); !strings.Contains(got, "待商家处理") {
		t.Errorf("after the refusal the case is in %q, want it still 待商家处理", got)
	}
	if o := env.load(t, orderOf(other)); o.Version() != version {
		t.Errorf("the refused reject changed the stored order: version %d, want %d", o.Version(), version)
	}
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 1380)); err != nil {
		t.Fatal(err)
	}
	shoot(t, tab, shots, "case.png")

	// Two days on the demo clock: nobody reviewed, so the system approves.
	for range 2 {
		if st := submit(t, tab, "#plus-day"); st != 200 {
			t.Fatalf("+1 day: status %d", st)
		}
	}
	if got := text(t, tab, "#fired"); !strings.Contains(got, "触发") {
		t.Errorf("after +1 day the page says %q, want how many deadlines fired", got)
	}
	o := env.load(t, orderOf(other))
	c := o.Case(other)
	last, _ := c.LastEvent()
	if last.Actor != aftersale.ActorSystem || last.Action != aftersale.ActionApprove || last.Decision.Rule != "deadlines.pending_review_timeout" {
		t.Fatalf("after two days the case's last event is %s by %s (%s), want the review timeout's approve by the system", last.Action, last.Actor, last.Decision.Rule)
	}
	if got := text(t, tab, "#state"); !strings.Contains(got, c.State().Label()) {
		t.Errorf("after the timeout the page shows %q, want %s", got, c.State().Label())
	}
	top := text(t, tab, "#timeline li:first-child")
	for _, w := range []string{"系统", "同意", "deadlines.pending_review_timeout", last.Decision.Zh} {
		if !strings.Contains(top, w) {
			t.Errorf("the timeline's newest event %q does not say %q", top, w)
		}
	}
}

// firstCase returns the case of the first row sel finds, or "".
func firstCase(t *testing.T, tab context.Context, sel string) string {
	t.Helper()
	id, err := chromedp.Run(tab, chromedp.Evaluate[string](`(document.querySelector(`+strconv.Quote(sel)+`) || {dataset: {}}).dataset.case || ""`))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func orderOf(caseID string) string { return caseID[:strings.LastIndex(caseID, "-")] }

// TestTheDeskInEnglishWithItsClockRunning switches the page to English and
// watches the clock and the countdowns tick without a reload.
func TestTheDeskInEnglishWithItsClockRunning(t *testing.T) {
	tab := browser(t, 60*time.Second)
	env := newEnvOf(t, 200, true)
	open(t, tab, env.url+"/")
	if st := submit(t, tab, "#lang"); st != 200 {
		t.Fatalf("switching to English: status %d", st)
	}
	lang, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil || lang != "en" {
		t.Fatalf("after the switch the page's lang is %q (%v), want en", lang, err)
	}
	if got := text(t, tab, "h1 .p"); got != "After-sale queue" {
		t.Errorf("the queue's heading is %q in English", got)
	}
	if got := text(t, tab, "#queue tbody tr:first-child .countdown"); !strings.HasSuffix(got, " left") && !strings.HasSuffix(got, " overdue") {
		t.Errorf("the first countdown says %q, want English", got)
	}
	clock := text(t, tab, "#clock")
	if err := chromedp.Do(tab, chromedp.Sleep(2100*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if again := text(t, tab, "#clock"); again == clock {
		t.Errorf("the running demo clock still reads %q two seconds later", again)
	}
	shoot(t, tab, screenshots(t), "queue-en.png")
}

// TestTheCaseFormsWorkFromTheKeyboard checks that every field of a case
// page has a label, and approves a case with the keyboard alone: focus on
// the button, then Enter.
func TestTheCaseFormsWorkFromTheKeyboard(t *testing.T) {
	tab := browser(t, 60*time.Second)
	env := newEnvOf(t, 200, false)
	cs := env.pendingReview(t, 0)
	open(t, tab, env.url+"/case/"+cs.OrderID()+"/"+cs.ID())
	unlabelled, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("input:not([type=hidden]), textarea, select")).filter(el => el.labels.length === 0 || !el.labels[0].textContent.trim()).map(el => el.id || el.name)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(unlabelled) > 0 {
		t.Errorf("fields without a label: %q", unlabelled)
	}
	if err := chromedp.Do(tab, chromedp.Focus(chromedp.CSS("#form-approve button[type=submit]"))); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(tab, chromedp.KeyEvent("\r"))
	if err != nil || resp.Status != 200 {
		t.Fatalf("Enter on the approve button: %v", err)
	}
	if got := env.load(t, cs.OrderID()).Case(cs.ID()); got.Version() != cs.Version()+1 {
		t.Errorf("after Enter on approve the case is at version %d in %s, want one event more", got.Version(), got.State())
	}
}
