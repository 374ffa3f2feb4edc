package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// param is one parameter of a policy, as a scenario file's "policy" sets
// it: {"fast_refund": {"within": "3h"}}.
type param struct {
	Field   string // the Go field it sets, so the listing can be checked against the struct
	JSON    string // its name in a scenario file
	Type    string // what its value is written as
	Default string // what an absent or zero value means, as the policy documents it
	Source  string // where the default comes from: a RULES.md entry, or the policy's doc comment
}

// policyParams lists the parameters of the policies of policy.Default(),
// taken from each policy's doc comment; the deadlines are listed by
// aftersale.DeadlineParams instead. TestParamsCoverPolicies fails if a
// policy gains a field this table does not show, or a JSON name here is
// not one the policy reads.
var policyParams = map[string][]param{
	"unshipped_refund": {},
	"seven_day_no_reason": {
		{Field: "Days", JSON: "days", Type: "integer (days)", Default: "7", Source: "RULES.md 5.2.1"},
		{Field: "Excluded", JSON: "excluded", Type: "list of categories", Default: "custom, perishable, digital, periodical ([] excludes none)", Source: "RULES.md 5.2.3"},
	},
	"guaranteed_return_30d": {
		{Field: "Days", JSON: "days", Type: "integer (days)", Default: "30", Source: "RULES.md 5.3"},
	},
	"after_sale_window": {
		{Field: "Days", JSON: "days", Type: "integer (days)", Default: "15", Source: "RULES.md 5.6, assumed"},
	},
	"repair_warranty": {
		{Field: "Days", JSON: "days", Type: "integer (days)", Default: "365", Source: "RULES.md 5.10, assumed"},
	},
	"resubmission": {
		{Field: "MaxCases", JSON: "max_cases", Type: "integer", Default: "3", Source: "RULES.md 5.8, assumed"},
	},
	"fast_refund": {
		{Field: "Within", JSON: "within", Type: "duration", Default: "6h", Source: "RULES.md 5.4"},
		{Field: "Below", JSON: "below", Type: "money", Default: "300.00", Source: "RULES.md 5.4"},
	},
	"auto_approve": {
		{Field: "Enabled", JSON: "enabled", Type: "boolean", Default: "false: off until the merchant enables it", Source: "RULES.md 5.9"},
		{Field: "Ceiling", JSON: "ceiling", Type: "money", Default: "50.00 (inclusive)", Source: "RULES.md 5.9, assumed"},
	},
	"abuse_guard": {
		{Field: "MaxRefunds", JSON: "max_refunds", Type: "integer", Default: "5", Source: "RULES.md 5.11, assumed"},
		{Field: "Days", JSON: "days", Type: "integer (days)", Default: "30", Source: "RULES.md 5.11, assumed"},
	},
	"freight_subsidy": {
		{Field: "Cap", JSON: "cap", Type: "money", Default: "20.00", Source: "RULES.md 5.5"},
		{Field: "WindowDays", JSON: "window_days", Type: "integer (days)", Default: "15", Source: "RULES.md 5.5"},
		{Field: "Carriers", JSON: "carriers", Type: "list of carriers", Default: "none: any carrier", Source: "RULES.md 5.5"},
	},
}

// deadlineType says how a deadline parameter is written, by asking
// aftersale.Deadlines which form it reads: a duration ("48h", "10d") or a
// number of business days.
func deadlineType(name string) string {
	var d aftersale.Deadlines
	if d.UnmarshalJSON([]byte(`{"`+name+`": "1h"}`)) == nil {
		return "duration"
	}
	if d.UnmarshalJSON([]byte(`{"`+name+`": 1}`)) == nil {
		return "business days"
	}
	return "?"
}

// writeParams writes every policy of policy.Default() and its parameters
// as a table; a policy this runner does not know is an error, so the
// listing never leaves one out silently.
func writeParams(w io.Writer) error {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "POLICY\tPARAMETER\tTYPE\tDEFAULT\tSOURCE")
	for _, p := range policy.Default().Policies {
		name := p.Name()
		if name == (aftersale.Deadlines{}).Name() {
			for _, d := range aftersale.DeadlineParams() {
				def := d.Default
				if d.When != "" {
					def += " (" + d.When + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, d.Name, deadlineType(d.Name), def, d.Source)
			}
			continue
		}
		params, ok := policyParams[name]
		if !ok {
			return fmt.Errorf("policy %q: this runner does not know its parameters", name)
		}
		if len(params) == 0 {
			fmt.Fprintf(tw, "%s\t(none)\t\t\t\n", name)
		}
		for _, pa := range params {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, pa.JSON, pa.Type, pa.Default, pa.Source)
		}
	}
	tw.Flush()
	var out strings.Builder
	for line := range strings.Lines(b.String()) {
		out.WriteString(strings.TrimRight(line, " \n") + "\n")
	}
	out.WriteString("\nSet them in a scenario file by policy name: {\"policy\": {\"fast_refund\": {\"within\": \"3h\"}}}; null drops a policy.\n")
	_, err := io.WriteString(w, out.String())
	return err
}
