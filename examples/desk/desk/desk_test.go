package desk_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/desk/desk"
)

// page is an answer of the desk: its status, where it redirected to, and
// its body.
type page struct {
	status   int
	location string
	body     string
}

func (e *env) client(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (e *env) do(t *testing.T, c *http.Client, method, path string, form url.Values) page {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return page{resp.StatusCode, resp.Header.Get("Location"), string(b)}
}

var (
	rowCase  = regexp.MustCompile(`<tr data-case="([^"]+)" data-state="([^"]+)" data-kind="([^"]+)">`)
	formMove = regexp.MustCompile(`<form class="move mv-[a-z_]+" method="post" action="[^"]+" id="form-([a-z_]+)">`)
)

func rows(body string) [][]string {
	var out [][]string
	for _, m := range rowCase.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1:])
	}
	return out
}

// openCases lists what the queue must show, straight from the store: every
// open case, the merchant's first, then by deadline.
func (e *env) openCases(t *testing.T) []*aftersale.Case {
	t.Helper()
	var cases []*aftersale.Case
	err := e.store.Each(context.Background(), func(o *aftersale.Order) error {
		for _, c := range o.Cases() {
			if c.Open() {
				cases = append(cases, c)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(cases, func(a, b *aftersale.Case) int {
		am, bm := a.Next().Waiting == aftersale.ActorMerchant, b.Next().Waiting == aftersale.ActorMerchant
		switch {
		case am && !bm:
			return -1
		case bm && !am:
			return 1
		}
		if c := a.Deadline().At.Compare(b.Deadline().At); c != 0 {
			return c
		}
		return strings.Compare(a.OrderID()+" "+a.ID(), b.OrderID()+" "+b.ID())
	})
	return cases
}

func TestTheQueueListsEveryOpenCaseTheMerchantsFirstByDeadline(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	want := e.openCases(t)
	if len(want) < 100 {
		t.Fatalf("the demo has %d open cases; the test wants more than two pages", len(want))
	}
	var got [][]string
	for n := 1; ; n++ {
		p := e.do(t, c, "GET", fmt.Sprintf("/?page=%d", n), nil)
		if p.status != 200 {
			t.Fatalf("page %d: status %d", n, p.status)
		}
		rs := rows(p.body)
		if len(rs) > 50 {
			t.Fatalf("page %d lists %d cases, more than a page", n, len(rs))
		}
		got = append(got, rs...)
		if len(got) >= len(want) || n > 100 {
			break
		}
	}
	var wantRows [][]string
	for _, c := range want {
		wantRows = append(wantRows, []string{c.ID(), c.State().String(), c.Kind().String()})
	}
	if diff := cmp.Diff(wantRows, got); diff != "" {
		t.Errorf("queue, every page in turn (-want +got):\n%s", diff)
	}
}

func TestTheQueueFilters(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	// Five days on, some refunds are late: the payment system broke its promise.
	if p := e.do(t, c, "POST", "/clock", url.Values{"by": {"120h"}}); p.status != http.StatusSeeOther {
		t.Fatalf("+5 d: status %d", p.status)
	}
	now := e.clock.Now()
	all := e.openCases(t)
	tests := []struct {
		name  string
		query string
		keeps func(*aftersale.Case) bool
	}{
		{"waiting for me", "mine=1", func(c *aftersale.Case) bool { return c.Next().Waiting == aftersale.ActorMerchant }},
		{"due in 24 h", "soon=1", func(c *aftersale.Case) bool { return !c.Deadline().At.After(now.Add(24 * time.Hour)) }},
		{"a kind", "kind=exchange", func(c *aftersale.Case) bool { return c.Kind() == aftersale.KindExchange }},
		{"mine and a kind", "mine=1&kind=return_refund", func(c *aftersale.Case) bool {
			return c.Next().Waiting == aftersale.ActorMerchant && c.Kind() == aftersale.KindReturnRefund
		}},
		{"overdue alerts", "alerted=1", func(c *aftersale.Case) bool {
			for _, ev := range c.Events() {
				if ev.Action == aftersale.ActionSLABreached && ev.To == c.State() {
					return true
				}
			}
			return false
		}},
		{"an unknown kind filters nothing out", "kind=teleport", func(*aftersale.Case) bool { return true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []string
			for _, cs := range all {
				if tt.keeps(cs) {
					want = append(want, cs.ID())
				}
			}
			if len(want) == 0 {
				t.Fatalf("the demo has no case for /?%s to find", tt.query)
			}
			want = want[:min(len(want), 50)]
			p := e.do(t, c, "GET", "/?"+tt.query, nil)
			var got []string
			for _, r := range rows(p.body) {
				got = append(got, r[0])
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("/?%s, first page (-want +got):\n%s", tt.query, diff)
			}
		})
	}
}

// pendingReview returns a case waiting for the merchant's review.
func (e *env) pendingReview(t *testing.T, kind aftersale.Kind) *aftersale.Case {
	t.Helper()
	for _, c := range e.openCases(t) {
		if c.State() == aftersale.StatePendingReview && (kind == 0 || c.Kind() == kind) {
			return c
		}
	}
	t.Fatalf("the demo has no %s case in review", kind)
	return nil
}

func TestTheCasePageHasAFormForExactlyTheMovesAllowed(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	seen := map[aftersale.State]bool{}
	for _, cs := range e.openCases(t) {
		if seen[cs.State()] {
			continue
		}
		seen[cs.State()] = true
		o := e.load(t, cs.OrderID())
		var want []string
		for _, m := range o.Allowed(cs.ID(), aftersale.ActorMerchant) {
			want = append(want, m.Action.String())
		}
		p := e.do(t, c, "GET", "/case/"+cs.OrderID()+"/"+cs.ID(), nil)
		if p.status != 200 {
			t.Fatalf("case %s: status %d", cs.ID(), p.status)
		}
		var got []string
		for _, m := range formMove.FindAllStringSubmatch(p.body, -1) {
			got = append(got, m[1])
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("forms on case %s in %s (-Allowed +page):\n%s", cs.ID(), cs.State(), diff)
		}
		if len(want) == 0 && !strings.Contains(p.body, `id="no-moves"`) {
			t.Errorf("case %s in %s: no move, and the page does not say so", cs.ID(), cs.State())
		}
	}
	if len(seen) < 4 {
		t.Errorf("the demo's open cases are in %d states; the test wants more", len(seen))
	}
}

// form is what a case page's form for the move sends, fields filled.
func form(c *aftersale.Case, a aftersale.Action, fields ...string) url.Values {
	v := url.Values{"action": {a.String()}, "version": {fmt.Sprint(c.Version())}, "key": {"test-" + c.ID() + "-" + a.String()}}
	for i := 0; i+1 < len(fields); i += 2 {
		v.Set(fields[i], fields[i+1])
	}
	return v
}

func TestARefusedMoveShowsTheLibrarysChineseAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	cs := e.pendingReview(t, 0)
	cmd := func(a aftersale.Action) aftersale.Command {
		return aftersale.Command{Case: cs.ID(), Actor: aftersale.ActorMerchant, Action: a, Version: cs.Version()}
	}
	moneyErr := func(s string) func(*aftersale.Order) error {
		return func(*aftersale.Order) error { _, err := aftersale.ParseMoney(s); return err }
	}
	tests := []struct {
		name   string
		form   url.Values
		status int
		// refusal is what the library says of the same input.
		refusal func(*aftersale.Order) error
	}{
		{"reject without a reason", form(cs, aftersale.ActionReject), 422, e.applying(cmd(aftersale.ActionReject))},
		{"propose more than the case asks", form(cs, aftersale.ActionPropose, "amount", cs.Amount().String()), 422,
			e.applying(aftersale.Command{Case: cs.ID(), Actor: aftersale.ActorMerchant, Action: aftersale.ActionPropose, Amount: cs.Amount(), Version: cs.Version()})},
		{"propose an amount that is no amount", form(cs, aftersale.ActionPropose, "amount", "12,5"), 422, moneyErr("12,5")},
		{"a move that is not the merchant's", form(cs, aftersale.ActionAccept), 409, e.applying(cmd(aftersale.ActionAccept))},
		{"a form for a version that moved on", form(cs, aftersale.ActionApprove, "version", fmt.Sprint(cs.Version()+1)), 409,
			e.applying(aftersale.Command{Case: cs.ID(), Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove, Version: cs.Version() + 1})},
		{"reship before anything came back", form(cs, aftersale.ActionReship, "carrier", "SF", "waybill", "SF1"), 409,
			e.applying(aftersale.Command{Case: cs.ID(), Actor: aftersale.ActorMerchant, Action: aftersale.ActionReship, Carrier: "SF", Waybill: "SF1", Version: cs.Version()})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.load(t, cs.OrderID())
			var want *aftersale.Error
			if err := tt.refusal(e.load(t, cs.OrderID())); !errors.As(err, &want) {
				t.Fatalf("the library accepts it: %v", err)
			}
			p := e.do(t, c, "POST", "/case/"+cs.OrderID()+"/"+cs.ID(), tt.form)
			if p.status != tt.status {
				t.Errorf("status %d, want %d", p.status, tt.status)
			}
			got := refusalShown.FindStringSubmatch(p.body)
			if got == nil {
				t.Fatalf("the page shows no refusal:\n%s", p.body)
			}
			if diff := cmp.Diff([]string{want.Zh, want.Message, want.Code.String(), want.Rule}, []string{
				html.UnescapeString(got[1]), html.UnescapeString(got[2]), got[3], got[4]}); diff != "" {
				t.Errorf("refusal shown (-library +page):\n%s", diff)
			}
			if diff := cmp.Diff(string(mustJSON(t, before)), string(mustJSON(t, e.load(t, cs.OrderID())))); diff != "" {
				t.Errorf("the refused move changed the stored order (-before +after):\n%s", diff)
			}
		})
	}
}

var refusalShown = regexp.MustCompile(`<p class="refusal-zh" lang="zh-CN">([^<]*)</p>\s*<p class="refusal-en" lang="en">([^<]*)</p>\s*<p class="refusal-code"><code>([a-z_]+)</code> <code>([a-z_.]+)</code>`)

// applying returns what the engine says of cmd on the order at the desk's time.
func (e *env) applying(cmd aftersale.Command) func(*aftersale.Order) error {
	return func(o *aftersale.Order) error {
		_, err := e.engine.ApplyAt(e.clock.Now(), o, cmd)
		return err
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAnAllowedMoveIsAppliedOnceAndTheQueueFollows(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	cs := e.pendingReview(t, aftersale.KindReturnRefund)
	path := "/case/" + cs.OrderID() + "/" + cs.ID()
	f := form(cs, aftersale.ActionApprove)
	p := e.do(t, c, "POST", path, f)
	if p.status != http.StatusSeeOther || p.location != path+"?done=2" {
		t.Fatalf("approve: status %d to %q, want 303 to %s?done=2", p.status, p.location, path)
	}
	// The same form again (a double click) is the same command, by its key: applied once.
	if p := e.do(t, c, "POST", path, f); p.status != http.StatusSeeOther || p.location != path+"?done=2" {
		t.Errorf("the same form again: status %d to %q, want 303 to the first event", p.status, p.location)
	}
	o := e.load(t, cs.OrderID())
	got := o.Case(cs.ID())
	if got.State() != aftersale.StateAwaitingReturn || got.Version() != 2 {
		t.Errorf("after approve the case is in %s at version %d, want awaiting_return at 2", got.State(), got.Version())
	}
	done := e.do(t, c, "GET", p.location, nil)
	if !strings.Contains(done.body, `id="done"`) {
		t.Errorf("the case page after approve does not say what was done")
	}
	q := e.do(t, c, "GET", "/?kind=return_refund", nil)
	for _, r := range rows(q.body) {
		if r[0] == cs.ID() && r[1] != "awaiting_return" {
			t.Errorf("the queue lists %s in %s, want awaiting_return", cs.ID(), r[1])
		}
	}
}

func TestTheDemoClockFiresWhatFallsDue(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	start := e.clock.Now()
	due := 0
	for _, cs := range e.openCases(t) {
		if !cs.Deadline().At.After(start.Add(time.Hour)) {
			due++
		}
	}
	p := e.do(t, c, "POST", "/clock", url.Values{"by": {"1h"}, "back": {"/?mine=1"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("+1 h: status %d", p.status)
	}
	if got := e.clock.Now(); !got.Equal(start.Add(time.Hour)) {
		t.Errorf("the clock reads %s after +1 h, want %s", got, start.Add(time.Hour))
	}
	loc, _ := url.Parse(p.location)
	if loc.Path != "/" || loc.Query().Get("mine") != "1" || loc.Query().Get("fired") == "" {
		t.Errorf("+1 h goes back to %q, want the page it came from, saying how many fired", p.location)
	}
	if due > 0 && loc.Query().Get("fired") == "0" {
		t.Errorf("%d cases were due within the hour, and nothing fired", due)
	}
	for _, cs := range e.openCases(t) {
		if !cs.Deadline().At.After(e.clock.Now()) {
			t.Errorf("case %s is still due at %s after the clock passed it", cs.ID(), cs.Deadline().At)
		}
	}
	if got, want := e.desk.Queue().Len(), len(e.openCases(t)); got != want {
		t.Errorf("the queue holds %d cases, the store %d open ones", got, want)
	}
	for _, bad := range []string{"", "-1h", "1 fortnight", "200h"} {
		if p := e.do(t, c, "POST", "/clock", url.Values{"by": {bad}}); p.status != http.StatusBadRequest {
			t.Errorf("by=%q: status %d, want 400", bad, p.status)
		}
	}
	if p := e.do(t, c, "POST", "/clock", url.Values{"by": {"1h"}, "back": {"//evil.example/"}}); !strings.HasPrefix(p.location, "/?") {
		t.Errorf("back=//evil.example/ goes to %q, want the queue", p.location)
	}
}

func TestTheLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	if p := e.do(t, c, "GET", "/", nil); !strings.Contains(p.body, `<html lang="zh-CN">`) || !strings.Contains(p.body, `<span class="p">售后待办</span> <span class="s" lang="en">After-sale queue</span>`) {
		t.Errorf("the queue is not Chinese first by default")
	}
	p := e.do(t, c, "GET", "/lang?to=en&back=/%3Fmine%3D1", nil)
	if p.status != http.StatusSeeOther || p.location != "/?mine=1" {
		t.Errorf("switching: status %d to %q", p.status, p.location)
	}
	if p := e.do(t, c, "GET", "/", nil); !strings.Contains(p.body, `<html lang="en">`) || !strings.Contains(p.body, `<span class="p">After-sale queue</span> <span class="s" lang="zh-CN">售后待办</span>`) {
		t.Errorf("after switching the queue is not English first")
	}
}

func TestAnUnknownCaseIsNotFound(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	for _, path := range []string{"/case/o-nothing/o-nothing-1", "/case/o-0000001/o-0000001-9"} {
		if p := e.do(t, c, "GET", path, nil); p.status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, p.status)
		}
		if p := e.do(t, c, "POST", path, url.Values{"action": {"approve"}}); p.status != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", path, p.status)
		}
	}
}

func TestLeftSaysTheTimeToTheDeadline(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		due    time.Duration
		zh, en string
	}{
		{49*time.Hour + 30*time.Minute, "剩 2天 1小时", "2d 1h left"},
		{3*time.Hour + 5*time.Minute, "剩 3小时 05分", "3h 05m left"},
		{4*time.Minute + 9*time.Second, "剩 4分 09秒", "4m 09s left"},
		{-90 * time.Minute, "超时 1小时 30分", "1h 30m overdue"},
	}
	for _, tt := range tests {
		got := []string{desk.Chinese.Left(now.Add(tt.due), now), desk.English.Left(now.Add(tt.due), now)}
		if diff := cmp.Diff([]string{tt.zh, tt.en}, got); diff != "" {
			t.Errorf("Left of %s (-want +got):\n%s", tt.due, diff)
		}
	}
}
