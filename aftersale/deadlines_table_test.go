package aftersale

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/timeline"
)

// TestDeadlineTableShape checks what the rest of the package assumes of the
// table: one field per row, unique names, and for every waiting state one
// row for the general case, last, carrying the rule and messages.
func TestDeadlineTableShape(t *testing.T) {
	names := map[string]bool{"calendar": true}
	realerts := 0
	for i := range deadlineTable {
		r := &deadlineTable[i]
		if names[strings.ToLower(r.name)] {
			t.Errorf("%s: a second row or the calendar has this name", r.name)
		}
		names[strings.ToLower(r.name)] = true
		if (r.dur == nil) == (r.days == nil) || (r.dur == nil) != (r.durOf == nil) || (r.days == nil) != (r.daysOf == nil) {
			t.Errorf("%s: a row is a duration (dur, durOf) or a day count (days, daysOf), not both or neither", r.name)
		}
		if r.source == "" || r.doc == "" {
			t.Errorf("%s: no source or doc", r.name)
		}
		// The two ways to the field reach the same one.
		var d Deadlines
		if r.days != nil {
			*r.days(&d) = 3
			if r.daysOf(d) != 3 {
				t.Errorf("%s: days and daysOf reach different fields", r.name)
			}
		} else {
			*r.dur(&d) = time.Minute
			if r.durOf(d) != time.Minute {
				t.Errorf("%s: dur and durOf reach different fields", r.name)
			}
		}
		if r.state == 0 {
			realerts++
		}
	}
	if realerts != 1 || realert == nil {
		t.Errorf("%d rows have no state, want 1 (realert)", realerts)
	}
	for s := State(1); int(s) < numStates; s++ {
		rows := deadlinesOf[s]
		if s.Terminal() {
			if len(rows) != 0 {
				t.Errorf("%s is terminal but has a deadline", s)
			}
			continue
		}
		if len(rows) == 0 {
			t.Errorf("%s has no deadline: a case could wait there forever", s)
			continue
		}
		for i, r := range rows {
			last := i == len(rows)-1
			if last != (r.only == nil) {
				t.Errorf("%s: row %s is out of place: rows for some cases come first, then the one for the rest", s, r.name)
			}
			if last != (r.rule != "" && r.en != "" && r.zh != "" && r.enAny != "" && r.zhAny != "") {
				t.Errorf("%s: row %s: only the row for the rest carries the rule and messages", s, r.name)
			}
			if last && (strings.Count(r.en, "%s") != 1 || strings.Count(r.zh, "%s") != 1 || strings.Contains(r.enAny+r.zhAny, "%")) {
				t.Errorf("%s: row %s: en and zh need one %%s, enAny and zhAny none", s, r.name)
			}
		}
	}
}

// nonDefault sets the row's field in d to a value that is not its default
// and returns how JSON writes it.
func nonDefault(r *deadlineRow, d *Deadlines) string {
	if r.days != nil {
		*r.days(d) = r.defDays + 3
		return `{"` + r.name + `":` + itoa(r.defDays+3) + `}`
	}
	*r.dur(d) = r.def + 90*time.Minute
	return `{"` + r.name + `":"` + (r.def + 90*time.Minute).String() + `"}`
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestEveryDeadlineRoundTripsThroughJSON sets each row's field alone to a
// value other than its default and reads it back.
func TestEveryDeadlineRoundTripsThroughJSON(t *testing.T) {
	for i := range deadlineTable {
		r := &deadlineTable[i]
		t.Run(r.name, func(t *testing.T) {
			var d Deadlines
			want := nonDefault(r, &d)
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != want {
				t.Errorf("encoded %s, want %s", b, want)
			}
			var back Deadlines
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back != d {
				t.Errorf("decoded %+v, want %+v", back, d)
			}
			upper := strings.Replace(string(b), r.name, strings.ToUpper(r.name), 1)
			back = Deadlines{}
			if err := json.Unmarshal([]byte(upper), &back); err != nil || back != d {
				t.Errorf("decoding %s: %+v, %v; names match ignoring case, as encoding/json's do", upper, back, err)
			}
		})
	}
}

// TestValidateRefusesEveryNegativeDeadline sets each row's field alone to
// a negative value.
func TestValidateRefusesEveryNegativeDeadline(t *testing.T) {
	for i := range deadlineTable {
		r := &deadlineTable[i]
		t.Run(r.name, func(t *testing.T) {
			var d Deadlines
			var js string
			if r.days != nil {
				*r.days(&d) = -1
				js = `{"` + r.name + `": -1}`
			} else {
				*r.dur(&d) = -time.Nanosecond
				js = `{"` + r.name + `": "-1ns"}`
			}
			err := d.Validate()
			if CodeOf(err) != ErrInvalidInput || !strings.Contains(err.Error(), r.name) {
				t.Errorf("Validate = %v, want invalid_input naming %s", err, r.name)
			}
			var back Deadlines
			if err := back.UnmarshalJSON([]byte(js)); CodeOf(err) != ErrInvalidInput || back != (Deadlines{}) {
				t.Errorf("decoding %s: %v, leaving %+v; want invalid_input and no change", js, err, back)
			}
		})
	}
}

// TestTimeoutMessagesStateTheParameter checks that what a passing records
// names the value in force, for each row's state, whatever it is set to.
func TestTimeoutMessagesStateTheParameter(t *testing.T) {
	durations := []struct {
		d      time.Duration
		en, zh string
	}{
		{30 * time.Hour, "30 hours", "30小时"},
		{72 * time.Hour, "72 hours", "72小时"},
		{12 * timeline.Day, "12 days", "12天"},
		{time.Hour, "1 hour", "1小时"},
		{90 * time.Minute, "1 hour 30 minutes", "1小时30分钟"},
		{45 * time.Minute, "45 minutes", "45分钟"},
	}
	counts := []struct {
		n      int
		en, zh string
	}{
		{3, "3 business days", "3个工作日"},
		{1, "1 business day", "1个工作日"},
		{10, "10 business days", "10个工作日"},
	}
	for i := range deadlineTable {
		r := &deadlineTable[i]
		if r.state == 0 {
			continue // realert: the wait between alerts, which no message names
		}
		check := func(d Deadlines, en, zh string) {
			t.Helper()
			got := timeoutDecisions(d)[r.state]
			if !strings.Contains(got.En, en) || !strings.Contains(got.Zh, zh) {
				t.Errorf("%s set to %s: %s's timeout records %q / %q, which do not say %q / %q", r.name, en, r.state, got.En, got.Zh, en, zh)
			}
			if got.Policy != "deadlines" || got.Rule == "" {
				t.Errorf("%s: decided by %q under rule %q", r.state, got.Policy, got.Rule)
			}
		}
		if r.days != nil {
			for _, c := range counts {
				var d Deadlines
				*r.days(&d) = c.n
				check(d, c.en, c.zh)
			}
			continue
		}
		for _, c := range durations {
			var d Deadlines
			*r.dur(&d) = c.d
			check(d, c.en, c.zh)
		}
	}
}

// TestTimeoutMessages pins what each timeout records under the default
// Deadlines, under a host's schedule, and the rule ids hosts store.
func TestTimeoutMessages(t *testing.T) {
	want := map[State][3]string{
		StatePendingReview: {"deadlines.pending_review_timeout",
			"the merchant did not respond within 48 hours; approved automatically", "商家48小时内未处理，系统默认同意"},
		StateIntercepting: {"deadlines.intercepting_timeout",
			"the merchant did not settle the interception within 5 days; refund approved automatically", "商家5天内未处理拦截，系统自动同意退款"},
		StateAwaitingReturn: {"deadlines.awaiting_return_timeout",
			"the buyer did not ship the goods back within 10 days; case closed", "买家10天内未寄回商品并提交运单，售后关闭"},
		StateReturnInTransit: {"deadlines.return_in_transit_timeout",
			"the merchant did not confirm receipt within 10 days of the waybill; received automatically", "商家在运单上传10天内未确认收货，系统自动确认收货"},
		StateNegotiating: {"deadlines.negotiating_timeout",
			"the buyer did not answer the proposal in time (48 hours at most); declined", "买家超时未回应协商（最长48小时），视为拒绝"},
		StateRejected: {"deadlines.rejected_timeout",
			"the buyer neither escalated nor asked again within 7 days; case closed", "买家7天内未申请平台介入或重新申请，售后关闭"},
		StateAwaitingReship: {"deadlines.awaiting_reship_timeout",
			"the merchant did not send the goods within 7 days (15 days for a repair); refunding instead", "商家7天（维修为15天）内未寄出商品，改为退款"},
		StateReshipInTransit: {"deadlines.reship_in_transit_timeout",
			"the buyer did not confirm receipt of the goods sent within 10 days; confirmed automatically", "买家10天内未确认收货，系统自动确认"},
		StateRefunding: {"deadlines.refund_sla",
			"the refund is later than the promised 7 business days (24 hours for cases the 30-day guarantee covered; 7 days for goods returned without a reason)", "退款超过承诺的7个工作日（30天包退为24小时；无理由退回的商品为7天）"},
		StateArbitration: {"deadlines.arbitration_sla",
			"the platform's ruling is later than the promised 7 business days", "平台介入超过承诺的7个工作日"},
		StateRefundFailed: {"deadlines.refund_failed_sla",
			"the failed refund was not retried within 24 hours", "退款失败后24小时内未重新退款"},
	}
	for _, sched := range []Schedule{Deadlines{}, &Deadlines{}} {
		got := timeoutDecisions(sched)
		for s := State(0); int(s) < numStates; s++ {
			w, ok := want[s]
			if !ok {
				if !got[s].IsZero() {
					t.Errorf("%s has no deadline, yet its timeout records %+v", s, got[s])
				}
				continue
			}
			verdict := VerdictAllow
			if s.alerting() {
				verdict = VerdictDeny
			}
			if g := got[s]; g != (Decision{Policy: "deadlines", Rule: w[0], Verdict: verdict, En: w[1], Zh: w[2]}) {
				t.Errorf("%T, %s: %+v\nwant rule %s, verdict %v:\n%s\n%s", sched, s, g, w[0], verdict, w[1], w[2])
			}
		}
	}
	if got := timeoutDecisions(Deadlines{Review: 72 * time.Hour})[StatePendingReview].En; got != "the merchant did not respond within 72 hours; approved automatically" {
		t.Errorf("under a 72-hour review: %q", got)
	}

	// A host's schedule: this package does not know its numbers, so its
	// messages have none, and are recorded under its name.
	host := timeoutDecisions(hostSchedule{Deadlines{Review: 72 * time.Hour}})
	for s, w := range want {
		g := host[s]
		if g.Policy != "host_deadlines" || g.Rule != w[0] || strings.ContainsAny(g.En+g.Zh, "0123456789") || g.En == "" || g.Zh == "" {
			t.Errorf("host schedule, %s: %+v; want rule %s under host_deadlines, without numbers", s, g, w[0])
		}
	}
	if g := host[StatePendingReview]; g.En != "the merchant did not respond in time; approved automatically" || g.Zh != "商家超时未处理，系统默认同意" {
		t.Errorf("host schedule, pending_review: %q / %q", g.En, g.Zh)
	}
}

// hostSchedule is a host's own schedule built on Deadlines.
type hostSchedule struct{ Deadlines }

func (hostSchedule) Name() string { return "host_deadlines" }
