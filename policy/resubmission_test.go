package policy_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// fourLines returns a delivered order of four lines, one unit each, 25.00
// a line.
func fourLines(t testing.TB) *aftersale.Order {
	t.Helper()
	o := deliveredOrder(t, aftersale.Yuan(100))
	for i, sku := range []string{"TEE-M", "JEANS-32", "CAP", "SOCKS"} {
		o.Lines = append(o.Lines, aftersale.Line{ID: "l" + strconv.Itoa(i+1), SKU: sku, Quantity: 1, Paid: aftersale.Yuan(25)})
	}
	return o
}

// unitsOf reads "l1+l2" as one unit of each line; "" is no lines, the
// whole order.
func unitsOf(lines string) []aftersale.Units {
	var out []aftersale.Units
	for l := range strings.SplitSeq(lines, "+") {
		if l != "" {
			out = append(out, aftersale.Units{Line: l, Quantity: 1})
		}
	}
	return out
}

// casesOn returns fourLines with one case for each argument, on those
// lines ("l1+l2", or "" for the whole order), each withdrawn before the
// next is asked for, an hour apart from 03-02 10:00.
func casesOn(t testing.TB, cases ...string) *aftersale.Order {
	t.Helper()
	o, e := fourLines(t), bare(t)
	for i, lines := range cases {
		id, when := "c"+strconv.Itoa(i+1), at(t, "2026-03-02 10:00").Add(time.Duration(i)*time.Hour)
		cmd := ask(id, returnRefund, quality)
		cmd.Lines = unitsOf(lines)
		run(t, e, o, step{atString(when), cmd},
			step{atString(when.Add(30 * time.Minute)), aftersale.Command{Case: id, Actor: aftersale.ActorBuyer, Action: aftersale.ActionWithdraw}})
	}
	return o
}

// asking returns a request on the given lines ("l1+l2", or "" for the
// whole order) as it opens on an order of four lines.
func asking(t testing.TB, lines string) *aftersale.Case {
	t.Helper()
	o := fourLines(t)
	cmd := ask("new", returnRefund, quality)
	cmd.Lines = unitsOf(lines)
	run(t, bare(t), o, step{"2026-03-03 09:00", cmd})
	return o.Case("new")
}

// TestResubmissionCountsPerLine: RULES.md 5.8. At most 3 cases on a line;
// a case or a request without lines covers every line; different lines
// returned one by one are not resubmissions.
func TestResubmissionCountsPerLine(t *testing.T) {
	for _, tc := range []struct {
		name   string
		limit  *policy.Resubmission
		before []string // the lines of each earlier case
		asked  string   // the lines of the request
		denied string   // the line the denial names, and its SKU; "" for no denial
	}{
		{"four lines returned one by one: the fourth is no resubmission", &policy.Resubmission{}, []string{"l1", "l2", "l3"}, "l4", ""},
		{"a line asked twice before: a third time is allowed", &policy.Resubmission{}, []string{"l1", "l1"}, "l1", ""},
		{"a line asked 3 times: a fourth time is denied, naming the line", &policy.Resubmission{}, []string{"l1", "l1", "l1"}, "l1", "l1 (TEE-M)"},
		{"a line asked 3 times: another line is still allowed", &policy.Resubmission{}, []string{"l1", "l1", "l1"}, "l2", ""},
		{"a request on two lines, one of them asked 3 times: denied, naming it", &policy.Resubmission{}, []string{"l2", "l2", "l2"}, "l1+l2", "l2 (JEANS-32)"},
		{"a request without lines covers every line: denied if any line had 3", &policy.Resubmission{}, []string{"l3", "l3", "l3"}, "", "l3 (CAP)"},
		{"a request without lines, no line with 3: allowed", &policy.Resubmission{}, []string{"l1", "l2", "l3", "l4", "l1"}, "", ""},
		{"cases without lines count for every line", &policy.Resubmission{}, []string{"", "", "l4"}, "l4", "l4 (SOCKS)"},
		{"cases without lines count for every line: 2 on l1 leave room", &policy.Resubmission{}, []string{"", "", "l4"}, "l1", ""},
		{"a case on two lines counts for both", &policy.Resubmission{}, []string{"l1+l2", "l2", "l2"}, "l2", "l2 (JEANS-32)"},
		{"max_cases 2: a line asked twice is denied", &policy.Resubmission{MaxCases: 2}, []string{"l1", "l1"}, "l1", "l1 (TEE-M)"},
		{"max_cases 5: a line asked 4 times is allowed", &policy.Resubmission{MaxCases: 5}, []string{"l1", "l1", "l1", "l1"}, "l1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := aftersale.Query{Order: casesOn(t, tc.before...), Case: asking(t, tc.asked), At: at(t, "2026-03-03 10:00"), Zone: zone}
			d := decide(t, tc.limit, q)
			if tc.denied == "" {
				if d != (aftersale.Decision{Policy: "resubmission"}) {
					t.Errorf("got %+v, want nothing to say", d)
				}
				return
			}
			most := "3"
			if tc.limit.MaxCases != 0 {
				most = strconv.Itoa(tc.limit.MaxCases)
			}
			want := aftersale.Decision{Policy: "resubmission", Rule: "resubmission.too_many", Verdict: aftersale.VerdictDeny,
				Zh: "商品行" + strings.NewReplacer(" (", "（", ")", "）").Replace(tc.denied) + "已申请" + most + "次售后，每个商品行最多申请" + most + "次",
				En: "line " + tc.denied + " already had " + most + " after-sale cases; at most " + most + " are allowed per line"}
			if diff := cmp.Diff(want, d); diff != "" {
				t.Errorf("decision (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLinesReturnedOneByOne: under the default rules, four lines of one
// order returned one by one without a reason are four cases, none a
// resubmission; a fourth request on a line rejected three times is
// denied by resubmission alone, and the rejected case stays as it was.
func TestLinesReturnedOneByOne(t *testing.T) {
	w := newWorld(t, defaults(), aftersale.Yuan(100), func(o *aftersale.Order) {
		*o = *fourLines(t)
	})
	for i, l := range []string{"l1", "l2", "l3", "l4"} {
		cmd := ask("c"+strconv.Itoa(i+1), returnRefund, noReason)
		cmd.Lines = unitsOf(l)
		if out := w.must("2026-03-02 1"+strconv.Itoa(i)+":00", cmd); out.Case.State() != aftersale.StatePendingReview {
			t.Errorf("%s opened in %s", l, out.Case.State())
		}
	}

	w = newWorld(t, defaults(), aftersale.Yuan(100), func(o *aftersale.Order) { *o = *fourLines(t) })
	for i := range 3 {
		id := "c" + strconv.Itoa(i+1)
		cmd := ask(id, returnRefund, quality)
		cmd.Lines = unitsOf("l2")
		w.must("2026-03-02 1"+strconv.Itoa(i)+":00", cmd)
		w.must("2026-03-02 1"+strconv.Itoa(i)+":30", aftersale.Command{Case: id, Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject, Note: "no defect"})
	}
	cmd := ask("c4", returnRefund, quality)
	cmd.Lines = unitsOf("l2")
	_, err := w.apply("2026-03-03 10:00", cmd)
	if diff := cmp.Diff([]string{"resubmission.too_many"}, reasons(t, err)); diff != "" {
		t.Errorf("the fourth request on l2 (-want +got):\n%s", diff)
	}
	if want := "line l2 (JEANS-32) already had 3 after-sale cases; at most 3 are allowed per line"; !strings.Contains(err.Error(), want) {
		t.Errorf("the denial %q does not say %q", err, want)
	}
	if c := w.o.Case("c3"); c.State() != aftersale.StateRejected {
		t.Errorf("the refused request changed c3 to %s", c.State())
	}
	// Another line of the same order is still fine.
	cmd.Lines = unitsOf("l1")
	w.must("2026-03-03 10:00", cmd)
}
