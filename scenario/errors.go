package scenario

import (
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/aftersale"
)

// Error reports a scenario file that cannot be read, decoded or played:
// the file, the step and the field the problem is in, and the problem. It
// prints as
//
//	fast.json: step 3: field "amount": money: "29.999" needs one or two decimals
//
// Errors from package aftersale stay in the chain, so errors.Is(err,
// aftersale.ErrInvalidInput) matches an Error caused by bad money.
type Error struct {
	// File is the file's name, as given to Parse or Load; empty for an
	// error in the runner's -sweep flag (ParseSweep), which then prints
	// without it.
	File string
	// Step is the step the problem is in, counting from 1; 0 for a problem
	// outside the steps.
	Step int
	// Field is the field the problem is in, such as "amount" or
	// "order.lines[1].paid"; empty for a problem with the file as a whole.
	// A field that starts with "-" is the runner's flag and what it says,
	// such as "-sweep deadlines.review=2 days", and prints as it is.
	Field string
	// Err is the problem.
	Err error
}

// Error returns the file, the step, the field and the problem, joined by
// colons.
func (e *Error) Error() string {
	var parts []string
	if e.File != "" {
		parts = append(parts, e.File)
	}
	if e.Step > 0 {
		parts = append(parts, "step "+strconv.Itoa(e.Step))
	}
	switch {
	case strings.HasPrefix(e.Field, "-"):
		parts = append(parts, e.Field)
	case e.Field != "":
		parts = append(parts, "field "+strconv.Quote(e.Field))
	}
	return strings.Join(append(parts, message(e.Err)), ": ")
}

// Unwrap returns the problem, so errors.Is and errors.As see its chain.
func (e *Error) Unwrap() error { return e.Err }

// message returns err's text without the package prefixes a scenario's
// author does not need: "aftersale: invalid_input: money: ..." reads
// "money: ...". The code stays in the error chain.
func message(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if c := aftersale.CodeOf(err); c != 0 {
		s = strings.TrimPrefix(s, c.Error()+": ")
	}
	return strings.TrimPrefix(s, "timeline: ")
}
