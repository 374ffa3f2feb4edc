package aftersale

// State is where a case stands. The zero State is "no case yet": the state
// a request starts from.
type State uint8

// The states of a case. A case ends in one of the terminal states
// (StateRefunded, StateExchanged, StateReissued, StateRepaired,
// StateClosed) and never leaves it.
const (
	StatePendingReview   State = iota + 1 // 待商家处理: waits for the merchant
	StateIntercepting                     // 拦截中: waits for the merchant and the carrier
	StateNegotiating                      // 协商中: waits for the buyer to answer a proposal
	StateAwaitingReturn                   // 待买家退货: waits for the buyer to ship the goods back
	StateReturnInTransit                  // 待商家收货: waits for the merchant to receive them
	StateAwaitingReship                   // 待商家发货: waits for the merchant to send a replacement, what was missing or the repaired goods
	StateReshipInTransit                  // 待买家收货: waits for the buyer to receive them
	StateRejected                         // 商家已拒绝: waits for the buyer to escalate or ask again
	StateArbitration                      // 平台介入中: waits for the platform's ruling
	StateRefunding                        // 退款中: waits for the payment system
	StateRefundFailed                     // 退款失败: waits for the platform
	StateRefunded                         // 退款成功: terminal
	StateExchanged                        // 换货成功: terminal
	StateClosed                           // 已关闭: terminal; ClosedReason says why
	StateReissued                         // 补寄成功: terminal
	StateRepaired                         // 维修成功: terminal
)

// numStates is one more than the largest State: the name table has a row
// for each.
const numStates = len(stateNames)

var stateNames = [...]names{
	StatePendingReview:   {"pending_review", "待商家处理"},
	StateIntercepting:    {"intercepting", "拦截中"},
	StateNegotiating:     {"negotiating", "协商中"},
	StateAwaitingReturn:  {"awaiting_return", "待买家退货"},
	StateReturnInTransit: {"return_in_transit", "待商家收货"},
	StateAwaitingReship:  {"awaiting_reship", "待商家发货"},
	StateReshipInTransit: {"reship_in_transit", "待买家收货"},
	StateRejected:        {"rejected", "商家已拒绝"},
	StateArbitration:     {"arbitration", "平台介入中"},
	StateRefunding:       {"refunding", "退款中"},
	StateRefundFailed:    {"refund_failed", "退款失败"},
	StateRefunded:        {"refunded", "退款成功"},
	StateExchanged:       {"exchanged", "换货成功"},
	StateClosed:          {"closed", "已关闭"},
	StateReissued:        {"reissued", "补寄成功"},
	StateRepaired:        {"repaired", "维修成功"},
}

// String returns the text form, such as "pending_review".
func (s State) String() string { return enumString(stateNames[:], s, "State") }

// Label returns the Chinese label, such as "待商家处理".
func (s State) Label() string { return enumLabel(stateNames[:], s) }

// MarshalText returns the text form; the zero State is an error.
func (s State) MarshalText() ([]byte, error) { return enumMarshal(stateNames[:], s, "State") }

// UnmarshalText parses the text form.
func (s *State) UnmarshalText(b []byte) error { return enumUnmarshal(stateNames[:], b, s, "state") }

// Terminal reports whether s is a final state.
func (s State) Terminal() bool { return s < 32 && terminals&(1<<s) != 0 }

// terminals is the set of states the table leads nowhere from, read from
// the table once, as it is asked on every command.
var terminals = func() (set uint32) {
	for s := 1; s < numStates; s++ {
		if len(table[s]) == 0 {
			set |= 1 << s
		}
	}
	return set
}()

// Waiting returns whose move it is in s; it is the zero Actor for terminal
// states. The payment system counts as ActorSystem.
func (s State) Waiting() Actor {
	switch s {
	case StatePendingReview, StateIntercepting, StateReturnInTransit, StateAwaitingReship:
		return ActorMerchant
	case StateNegotiating, StateAwaitingReturn, StateReshipInTransit, StateRejected:
		return ActorBuyer
	case StateArbitration, StateRefundFailed:
		return ActorPlatform
	case StateRefunding:
		return ActorSystem
	}
	return 0
}

// alerting reports whether the deadline of s is a service-level alert,
// which changes no state, rather than a timeout.
func (s State) alerting() bool {
	for _, r := range rowsFrom(s) {
		if r.Timeout && r.Action == ActionSLABreached {
			return true
		}
	}
	return false
}

// ClosedReason says why a case ended in StateClosed. The zero ClosedReason
// means the case is not closed.
type ClosedReason uint8

// The reasons a case closes.
const (
	ClosedWithdrawn        ClosedReason = iota + 1 // the buyer withdrew the request
	ClosedReturnTimeout                            // the buyer did not ship the goods back in time
	ClosedNotEscalated                             // after a rejection the buyer neither escalated nor asked again in time
	ClosedRuledForMerchant                         // the platform ruled for the merchant
	ClosedResolvedOffline                          // merchant and buyer agreed on an offline exchange or repair (线下换/修)
	ClosedSuperseded                               // the buyer asked again after a rejection
)

var closedNames = [...]names{
	ClosedWithdrawn:        {"withdrawn", "买家撤销申请"},
	ClosedReturnTimeout:    {"return_timeout", "买家超时未退货"},
	ClosedNotEscalated:     {"not_escalated", "买家未申请平台介入"},
	ClosedRuledForMerchant: {"ruled_for_merchant", "平台判定支持商家"},
	ClosedResolvedOffline:  {"resolved_offline", "线下换/修"},
	ClosedSuperseded:       {"superseded", "买家已重新申请"},
}

// String returns the text form, such as "withdrawn".
func (r ClosedReason) String() string { return enumString(closedNames[:], r, "ClosedReason") }

// Label returns the Chinese label.
func (r ClosedReason) Label() string { return enumLabel(closedNames[:], r) }

// MarshalText returns the text form; the zero ClosedReason is an error.
func (r ClosedReason) MarshalText() ([]byte, error) {
	return enumMarshal(closedNames[:], r, "ClosedReason")
}

// UnmarshalText parses the text form.
func (r *ClosedReason) UnmarshalText(b []byte) error {
	return enumUnmarshal(closedNames[:], b, r, "closed reason")
}
