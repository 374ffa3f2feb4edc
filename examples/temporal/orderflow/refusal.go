package orderflow

import (
	"errors"

	"go.temporal.io/sdk/temporal"

	"github.com/shouhou/shouhou/aftersale"
)

// refusal turns an error of the engine into a Temporal application error
// that keeps it: its type is the code's text form ("not_permitted") and its
// details the *aftersale.Error, so a client gets the whole refusal back
// with Refusal. It is non-retryable: the same command at the same time is
// refused again.
func refusal(err error) error {
	var e *aftersale.Error
	if !errors.As(err, &e) {
		return err
	}
	return temporal.NewApplicationErrorWithOptions(e.Message, e.Code.String(), temporal.ApplicationErrorOptions{
		NonRetryable: true,
		Details:      []any{e},
	})
}

// Refusal returns the engine's refusal carried by err, an error from
// Client.Send or an update of the workflow, and false if err is none.
// errors.Is(r, aftersale.ErrNotPermitted) and the like then work on it.
func Refusal(err error) (*aftersale.Error, bool) {
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || !app.HasDetails() {
		return nil, false
	}
	var code aftersale.Code
	if code.UnmarshalText([]byte(app.Type())) != nil {
		return nil, false
	}
	var e *aftersale.Error
	if app.Details(&e) != nil || e == nil {
		return nil, false
	}
	return e, true
}
