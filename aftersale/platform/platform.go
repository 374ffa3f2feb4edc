package platform

import (
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
)

// Platform is an e-commerce platform whose after-sale records this
// package reads. The zero Platform is "not set".
type Platform uint8

// The platforms.
const (
	Kuaishou  Platform = iota + 1 // 快手小店
	Douyin                        // 抖店
	Taobao                        // 淘宝/天猫
	Pinduoduo                     // 拼多多
)

var platformNames = [...]struct{ text, label string }{
	Kuaishou:  {"kuaishou", "快手小店"},
	Douyin:    {"douyin", "抖店"},
	Taobao:    {"taobao", "淘宝"},
	Pinduoduo: {"pinduoduo", "拼多多"},
}

// Platforms lists the platforms, in the order of their constants.
func Platforms() []Platform { return []Platform{Kuaishou, Douyin, Taobao, Pinduoduo} }

// String returns the text form, such as "douyin".
func (p Platform) String() string {
	if p == 0 || int(p) >= len(platformNames) {
		return "Platform(" + strconv.Itoa(int(p)) + ")"
	}
	return platformNames[p].text
}

// Label returns the Chinese name, such as "抖店".
func (p Platform) Label() string {
	if p == 0 || int(p) >= len(platformNames) {
		return p.String()
	}
	return platformNames[p].label
}

// Scope says whether a platform record is an after-sale case shouhou
// carries. The zero Scope is "not set"; every placement has one.
type Scope uint8

// The scopes.
const (
	// InShouhou: an after-sale case of one of shouhou's kinds, in one of
	// its states.
	InShouhou Scope = iota + 1
	// NotACase: the record is no after-sale case at all, such as
	// Pinduoduo's "无售后" or Douyin's order cancellations.
	NotACase
	// OutsideShouhou: an after-sale matter shouhou does not model, such
	// as Taobao's "其他" disputes.
	OutsideShouhou
)

var scopeNames = [...]string{InShouhou: "in_shouhou", NotACase: "not_a_case", OutsideShouhou: "outside_shouhou"}

// String returns the text form, such as "not_a_case".
func (s Scope) String() string {
	if s == 0 || int(s) >= len(scopeNames) {
		return "Scope(" + strconv.Itoa(int(s)) + ")"
	}
	return scopeNames[s]
}

// Placement is where a platform record puts a case in shouhou: its kind,
// its state and who must act, or why it is no case shouhou carries.
type Placement struct {
	Scope Scope
	// Kind and State are set when Scope is InShouhou.
	Kind  aftersale.Kind
	State aftersale.State
	// Waiting is whose move it is: State.Waiting(), zero for a final
	// state.
	Waiting aftersale.Actor
	// Closed says why a case in StateClosed closed, when the platform's
	// code says; zero when it does not.
	Closed aftersale.ClosedReason
	// Why says, for NotACase and OutsideShouhou, what the record is
	// instead; for a case, the decision taken where the platform's
	// documents are silent or disagree, if any.
	Why string
}

// Final reports whether the case is finished on the platform: a terminal
// state, or no case to carry on.
func (p Placement) Final() bool { return p.Scope != InShouhou || p.State.Terminal() }

// String describes the placement: "return_refund awaiting_return
// (waiting: buyer)", "not_a_case: ...".
func (p Placement) String() string {
	if p.Scope != InShouhou {
		return p.Scope.String() + ": " + p.Why
	}
	s := p.Kind.String() + " " + p.State.String()
	if p.Closed != 0 {
		s += " (" + p.Closed.String() + ")"
	}
	if p.Waiting != 0 {
		s += " (waiting: " + p.Waiting.String() + ")"
	}
	return s
}

// placed returns the placement of a case of kind k in state s.
func placed(k aftersale.Kind, s aftersale.State, closed aftersale.ClosedReason, why string) Placement {
	return Placement{Scope: InShouhou, Kind: k, State: s, Waiting: s.Waiting(), Closed: closed, Why: why}
}

// Codes are the status codes of one platform record: the fields whose
// combination says where the case stands.
type Codes interface {
	// Platform returns the platform the codes are of.
	Platform() Platform
	// Place maps the codes to shouhou. Codes the platform does not
	// document, and combinations that contradict themselves, are
	// ErrInvalidInput errors under the rules "platform.unknown_code" and
	// "platform.contradiction".
	Place() (Placement, error)
	// String lists the codes as the platform names its fields:
	// "handlingWay=1 status=30 negotiateStatus=2".
	String() string
}

// fits reports whether a case of kind k can stand in state s: goods come
// back only for the kinds that send them, and something is sent to the
// buyer only for the kinds that send something.
func fits(k aftersale.Kind, s aftersale.State) bool {
	switch s {
	case aftersale.StateIntercepting:
		return k == aftersale.KindRefundOnly
	case aftersale.StateAwaitingReturn, aftersale.StateReturnInTransit:
		return k == aftersale.KindReturnRefund || k == aftersale.KindExchange || k == aftersale.KindRepair
	case aftersale.StateAwaitingReship, aftersale.StateReshipInTransit:
		return k == aftersale.KindExchange || k == aftersale.KindReissue || k == aftersale.KindRepair
	case aftersale.StateRefunded:
		return k == aftersale.KindRefundOnly || k == aftersale.KindReturnRefund
	case aftersale.StateExchanged:
		return k == aftersale.KindExchange
	case aftersale.StateReissued:
		return k == aftersale.KindReissue
	case aftersale.StateRepaired:
		return k == aftersale.KindRepair
	}
	return true
}

// success returns the state a case of kind k ends in when it succeeds.
func success(k aftersale.Kind) aftersale.State {
	switch k {
	case aftersale.KindExchange:
		return aftersale.StateExchanged
	case aftersale.KindReissue:
		return aftersale.StateReissued
	case aftersale.KindRepair:
		return aftersale.StateRepaired
	}
	return aftersale.StateRefunded
}

// check refuses a placement whose kind cannot stand in its state.
func check(c Codes, p Placement) (Placement, error) {
	if p.Scope == InShouhou && !fits(p.Kind, p.State) {
		return Placement{}, contradiction(c, "a "+p.Kind.String()+" case cannot stand in "+p.State.String(),
			"“"+p.Kind.Label()+"”售后不会处于“"+p.State.Label()+"”状态")
	}
	return p, nil
}
