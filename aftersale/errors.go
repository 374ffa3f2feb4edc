package aftersale

import (
	"errors"
	"strings"
)

// Code is the stable code of an error from this package. Each Code is
// itself an error, so callers match with errors.Is:
//
//	if errors.Is(err, aftersale.ErrNotEligible) { ... }
//
// Codes are constants: no caller can reassign them.
type Code uint8

// The error codes. Their text forms are stable: hosts store them, scenario
// files expect them.
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
)

var codeNames = [...]names{
	ErrNotEligible:    {"not_eligible", "不符合售后条件"},
	ErrNotPermitted:   {"not_permitted", "当前状态不允许此操作"},
	ErrInvalidInput:   {"invalid_input", "输入有误"},
	ErrConflict:       {"conflict", "操作冲突"},
	ErrClockRegressed: {"clock_regressed", "时间倒退"},
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

// Error is the error this package returns: a Code, a message for people and,
// for ErrNotEligible, every reason the policies gave. errors.Is(err, code)
// matches its Code.
type Error struct {
	Code    Code
	Message string
	// Rule is the id of the rule that refused, when one did: a policy's
	// rule id such as "seven_day_no_reason.window_passed" (for
	// ErrNotEligible, that of the most specific reason), or one of the
	// Engine's own, such as "refund_cap.exceeded".
	Rule string
	// Reasons lists the decisions that made a request ineligible: every
	// grant that did not cover it and every limit that forbade it.
	Reasons []Decision
	// Err is the error behind this one, if any, such as what a policy's
	// Validate returned.
	Err error
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

func fail(c Code, msg string) error { return &Error{Code: c, Message: msg} }
