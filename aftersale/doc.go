// Package aftersale is the finite-state machine of e-commerce after-sale
// cases (售后): refund only (仅退款), return and refund (退货退款), exchange
// (换货), reissue (补寄) and repair (维修), with negotiation, rejection,
// platform arbitration and refund failures.
//
// # The model
//
// An [Order] holds the facts of one paid order (amount, payment, shipment,
// delivery, category, flags, lines) and the [Case] values opened on it. A
// case moves between the [State] values of a fixed transition table
// ([Transitions]). Each row says that from a state an [Action] by one of
// its actors, for some kinds of case and under a named [Condition] (the
// order is in transit, an approver approved at once, a ruling for the
// buyer on goods already returned, ...), leads to a state, may change the
// case's [Kind] or close it with a [ClosedReason], and which deadline
// follows ([DueRule]). The Engine picks the first row whose kinds and
// condition hold and applies it; [Replay] matches every stored event to a
// row; [Case.Next] and [Diagram] read the same rows. Anything no row allows
// is refused with [ErrNotPermitted] and changes nothing. CONTRIBUTING.md
// in the repository lists what to touch to add an action, a state, a kind
// or a policy.
//
// Every waiting state has a deadline. When the clock reaches it, the system
// acts in place of the party that did not (the merchant's 48-hour review
// ends in an approval, the buyer's 10 days to ship the goods back end in a
// closed case, and so on); states that wait for money or a ruling raise a
// service-level alert instead. [Deadlines] holds the durations.
//
// Policies decide what the table leaves open: whether a request is eligible
// at all ([Grant], [Limit]), whether it is approved at once ([Approver]),
// what compensation comes with a refund, in lines by payer ([Compensator],
// asked when the case enters refunding) and when deadlines fall
// ([Schedule]). They are values in [Rules]; package policy has the
// default set. A policy is pure and answers with an [Answer], a verdict and
// the [Rule] that decided it; the Engine records the answer as a
// [Decision] under the policy's name. With no policies, every request is
// eligible and waits for the merchant.
//
// # Time
//
// The package never reads the wall clock by itself. [Engine.ApplyAt] and
// [Engine.AdvanceTo] take the time as an argument; [Engine.Apply] and
// [Engine.Advance] read it from the [timeline.Clock] in [Config]. Deadlines
// due at or before that time fire first, earliest first, so no command
// overtakes a timeout. A time earlier than the order's last event is
// refused with [ErrClockRegressed].
//
// # What the host keeps
//
// Each case keeps an append-only log of [Event] values, and each event
// carries its outcome: the state it led to, the policy [Decision] that
// shaped it and the deadline it left. The case's state, kind and amounts
// are folded from the log, so [Replay] rebuilds a case from its [Record]
// without the policies, and the JSON form of an Order or a Case round-trips
// exactly. A host loads an Order, applies a command or a time, and stores
// the Order again; [Order.Version] is its optimistic-locking counter.
//
// # What the host does
//
// Every [Outcome], every [Change] and every stored case says what the host
// must do as [Effect] values: pay a refund with its compensation and the
// key for the payment system, notify a party, raise an alert, wake up at a
// deadline. Effects follow from the events, with stable IDs, so the stored
// order is its own outbox: a host saves, then delivers with
// [Delivered.Deliver], and after a crash delivers the same effects again.
// [Order.Allowed] lists what each party may do on a case now, read from
// the table [Engine.ApplyAt] runs on; [Case.Next] and [Order.Next] say
// what happens next, and when; [Command] has a strict JSON form.
//
// # Errors
//
// Every error carries one of six codes, matched with errors.Is:
// [ErrNotEligible] (with the reasons of every policy), [ErrNotPermitted],
// [ErrInvalidInput], [ErrConflict], [ErrClockRegressed] and [ErrNotFound]
// (a case the order does not have). Every refusal is an [*Error]:
// [Error.Rule] names the rule that refused, [Error.Message] says why in
// English and [Error.Zh] in Chinese, for the merchant. A command that fails
// changes nothing at all.
//
// # Example
//
//	engine, _ := aftersale.New(aftersale.Config{Rules: policy.Default()})
//	order := &aftersale.Order{ID: "o-1", Amount: aftersale.Yuan(299), PaidAt: paid}
//	out, err := engine.ApplyAt(now, order, aftersale.Command{
//		Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
//		Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonMistakenPurchase,
//	})
//	// out.Case.State(), out.Case.Next() say where the case is and what
//	// happens next, and when.
package aftersale
