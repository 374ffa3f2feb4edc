package whatif_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
	"github.com/shouhou/shouhou/whatif"
)

// One recorded return: the buyer paid 25.00 to ship it back, which the
// freight insurance covers up to the cap, 20.00 by default and 30.00 after.
func Example() {
	orders := `{"order":{"id":"o-1","amount":"199.00","paid_at":"2026-11-01T10:00:00+08:00","shipped_at":"2026-11-01T18:00:00+08:00","delivered_at":"2026-11-03T12:00:00+08:00","flags":["freight_insurance"]},"inputs":[` +
		`{"at":"2026-11-04T09:00:00+08:00","command":{"actor":"buyer","action":"request","kind":"return_refund","reason":"no_reason"}},` +
		`{"at":"2026-11-04T15:00:00+08:00","command":{"actor":"merchant","action":"approve","case":"o-1-1"}},` +
		`{"at":"2026-11-05T10:00:00+08:00","command":{"actor":"buyer","action":"ship_return","case":"o-1-1","carrier":"SF","waybill":"SF1","freight":"25.00"}},` +
		`{"at":"2026-11-07T10:00:00+08:00","command":{"actor":"merchant","action":"receive_return","case":"o-1-1"}},` +
		`{"at":"2026-11-07T12:00:00+08:00","command":{"actor":"system","action":"refund_succeeded","case":"o-1-1"}}]}`
	before := policy.Default()
	after, err := scenario.ParseRules([]byte(`{"freight_subsidy": {"cap": "30.00"}}`), before)
	if err != nil {
		fmt.Println(err)
		return
	}
	end := time.Date(2026, 12, 1, 0, 0, 0, 0, time.FixedZone("UTC+8", 8*3600))
	c, err := whatif.New(before, after, end)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := c.Run(whatif.NewReader(strings.NewReader(orders)), whatif.Options{Before: "default", After: "cap 30.00"})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep.WriteText(os.Stdout)
	// Output:
	// orders 1, compared 1, diverged 0
	// before: default
	// after:  cap 30.00
	//
	// section          key        before  after   delta   examples
	// end state        refunded   1       1       0       o-1
	// requests         eligible   1       1       0       o-1
	// refunds          cases      1       1       0       o-1
	// refunds          total      199.00  199.00  0.00    o-1
	// compensation by  insurance  20.00   25.00   +5.00   o-1
}
