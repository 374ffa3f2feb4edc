package aftersale

import (
	"encoding/json"
	"time"
)

// Event is one entry of a case's log: who did what when, the state before
// and after, the arguments that came with it, the policy decision that
// shaped it, and the deadline it left pending. Events carry their outcome,
// so a case is rebuilt from its log without asking the policies again
// (Replay): the rules a case was decided under stay part of its record.
//
// Fields an action does not use are zero and left out of the JSON form.
type Event struct {
	Seq    int       `json:"seq"` // 1 for the request, then 2, 3, ...
	At     time.Time `json:"at"`
	Actor  Actor     `json:"actor"`
	Action Action    `json:"action"`
	From   State     `json:"from,omitzero"` // zero for the request that opened the case
	To     State     `json:"to"`
	Kind   Kind      `json:"kind"` // the case's kind after the event

	Reason      Reason       `json:"reason,omitzero"`        // request
	Closed      ClosedReason `json:"closed_reason,omitzero"` // when To is StateClosed
	Ruling      Ruling       `json:"ruling,omitzero"`        // rule
	ReturnGoods bool         `json:"return_goods,omitzero"`  // rule: the goods must come back first

	// Amount is the money the event names: asked for (request), offered
	// (propose), agreed (accept), awarded (rule) or refunded
	// (refund_succeeded).
	Amount  Money `json:"amount,omitzero"`
	Freight Money `json:"freight,omitzero"` // ship_return: return freight the buyer paid

	Note    string `json:"note,omitzero"`    // reason text, evidence, agreement; the new case's ID when superseded
	Carrier string `json:"carrier,omitzero"` // ship_return, reship
	Waybill string `json:"waybill,omitzero"` // ship_return, reship
	Key     string `json:"key,omitzero"`     // the sender's idempotency key

	// Record is the platform's record a case was imported from, as it
	// came (compact JSON): on the import event only.
	Record json.RawMessage `json:"record,omitempty"`

	// Compensation is money paid back on top of the refund, such as the
	// return freight, in lines by payer: decided by the event that takes
	// the case into refunding (for an exchange, the receipt of the goods),
	// and repeated by refund_succeeded, which pays it.
	Compensation []Compensation `json:"compensation,omitempty"`

	// Decision is the policy decision that shaped the event, if any: the
	// grant that covered a request, the approver that approved it, the
	// deadline that passed.
	Decision Decision `json:"decision,omitzero"`
	// CompensationDecision is why the case gets the Compensation it gets,
	// or does not get one: the decision of the compensator that decided
	// when the case entered refunding.
	CompensationDecision Decision `json:"compensation_decision,omitzero"`
	// Due is the deadline pending after the event; zero once the case is
	// over.
	Due time.Time `json:"due,omitzero"`
}
