package aftersale

import (
	"errors"
	"strings"
	"time"
)

// Code is the stable code of an error from this package. Each Code is
// itself an error, so callers match with errors.Is:
//
//	if errors.Is(err, aftersale.ErrNotEligible) { ... }
//
// Codes are constants: no caller can reassign them.
type Code uint8

// The error codes. Their text forms are stable: hosts store them, scenario
// files expect them. Each has a Chinese label (Label). The package maps no
// code to a transport status; the README suggests an HTTP status for each.
const (
	// ErrNotEligible: a policy denied the request; the *Error lists every
	// reason.
	ErrNotEligible Code = iota + 1
	// ErrNotPermitted: the action is not allowed in the case's state, or not
	// to this actor.
	ErrNotPermitted
	// ErrInvalidInput: malformed data, such as bad money, a missing waybill,
	// an unknown kind or an amount above what is left to refund.
	ErrInvalidInput
	// ErrConflict: a stale version, a second open case on the same line, or
	// an idempotency key reused for a different command.
	ErrConflict
	// ErrClockRegressed: the action is stamped earlier than the order's last
	// event.
	ErrClockRegressed
	// ErrNotFound: the command addresses a case the order does not have.
	// It comes after the others so that their numbers stay as they were.
	ErrNotFound
)

var codeNames = [...]names{
	ErrNotEligible:    {"not_eligible", "不符合售后条件"},
	ErrNotPermitted:   {"not_permitted", "当前状态不允许此操作"},
	ErrInvalidInput:   {"invalid_input", "输入有误"},
	ErrConflict:       {"conflict", "操作冲突"},
	ErrClockRegressed: {"clock_regressed", "时间倒退"},
	ErrNotFound:       {"not_found", "售后单不存在"},
}

// Error returns "aftersale: " and the code's text form. (fmt prints a Code
// through Error; use String for the bare text form.)
func (c Code) Error() string { return "aftersale: " + c.String() }

// String returns the code's text form, such as "not_eligible".
func (c Code) String() string { return enumString(codeNames[:], c, "Code") }

// Label returns the code's Chinese label.
func (c Code) Label() string { return enumLabel(codeNames[:], c) }

// MarshalText returns the text form; an unknown code is an error.
func (c Code) MarshalText() ([]byte, error) { return enumMarshal(codeNames[:], c, "Code") }

// UnmarshalText parses the text form.
func (c *Code) UnmarshalText(b []byte) error { return enumUnmarshal(codeNames[:], b, c, "error code") }

// Error is the error this package returns, and every refusal is one: a
// Code, the id of the rule that refused, what it means in English and in
// Chinese and, for ErrNotEligible, every reason the policies gave.
// errors.Is(err, code) matches its Code.
//
// A host shows Zh to a merchant or buyer, logs Message, and branches on
// Code (what kind of refusal) or Rule (which rule refused, when it needs
// to tell refusals of one code apart):
//
//	var e *aftersale.Error
//	if errors.As(err, &e) {
//		log.Printf("%s %s: %s", e.Code, e.Rule, e.Message)
//		show(e.Zh) // 只有商家可以在“待商家处理”状态同意，买家不可以
//	}
//
// In JSON, for a host's answer to its client, an Error is its code, rule,
// message, zh and reasons; Err stays out.
type Error struct {
	Code Code `json:"code"`
	// Message says why, in English, naming values by their text forms
	// ("approve is not permitted in state pending_review").
	Message string `json:"message"`
	// Zh says why in Chinese, for the people involved: short, with
	// states, actions, actors and kinds by their Chinese labels and money
	// in yuan ("299.00元"). For ErrNotEligible it goes on to the reasons'
	// Chinese, most specific first, as Error follows Message with their
	// English.
	Zh string `json:"zh,omitzero"`
	// Rule is the id of the rule that refused, set on every refusal:
	// "<prefix>.<name>", stable, as hosts may store and match it. For
	// ErrNotEligible it is a policy's rule id, that of the most specific
	// reason (Reasons[0]), such as "seven_day_no_reason.window_passed".
	// Every other refusal is the Engine's own, under one of a few
	// prefixes that say which rule refused: "command." (the command's
	// own shape), "table." (the transition table), "case.", "line.",
	// "order.", "key.", "clock.", "time.", "money.", "text.",
	// "refund_cap.", "rules." (the rule set and policies' parameters),
	// "answer." (a policy's answer), "eligibility." and "json." (a stored
	// form, a command's JSON form). RULES.md section 8.2 lists them all.
	Rule string `json:"rule,omitzero"`
	// Reasons lists the decisions that made a request ineligible, the
	// most specific first: the refusals of rules that apply to the
	// request (VerdictDeny: the grants', in the order of the rules, then
	// the limits') before the rules that do not apply (VerdictPass). A
	// policy's own answer is already its most specific: seven_day_no_reason
	// names an excluded category before a window that passed.
	Reasons []Decision `json:"reasons,omitempty"`
	// Err is the error behind this one, if any, such as what a policy's
	// Validate returned.
	Err error `json:"-"`
}

// Error returns "aftersale: <code>: <message>", followed by the reasons.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("aftersale: ")
	b.WriteString(e.Code.String())
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for i, r := range e.Reasons {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(r.Policy)
		if r.En != "" {
			b.WriteString(": ")
			b.WriteString(r.En)
		}
	}
	return b.String()
}

// Unwrap returns the Code, so errors.Is matches it, and Err if set.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Code, e.Err}
	}
	return []error{e.Code}
}

// CodeOf returns the Code of err, or 0 if err carries none.
func CodeOf(err error) Code {
	var c Code
	if errors.As(err, &c) {
		return c
	}
	return 0
}

// refuse returns the refusal with code c by the rule whose id is rule, saying
// why in English (en) and Chinese (zh).
func refuse(c Code, rule, en, zh string) error {
	return &Error{Code: c, Rule: rule, Message: en, Zh: zh}
}

// actorsZh lists the actors of s by their Chinese labels, joined by "或":
// "买家或商家".
func actorsZh(s Actors) string {
	out := ""
	for a := ActorBuyer; a <= ActorSystem; a++ {
		if s.Has(a) {
			if out != "" {
				out += "或"
			}
			out += a.Label()
		}
	}
	return out
}

// yuan writes money for a Chinese message: "299.00元".
func yuan(m Money) string { return m.String() + "元" }

// zhTime writes a time for a Chinese message, in its own zone:
// "2026-03-04 20:00:00 (UTC+08:00)", with fractions of a second when it
// has some.
func zhTime(t time.Time) string { return t.Format("2006-01-02 15:04:05.999999999 (UTC-07:00)") }
