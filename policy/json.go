package policy

import (
	"bytes"
	"encoding/json"

	"github.com/shouhou/shouhou/aftersale"
)

// overlay decodes b over v (a policy's plain struct, so its own
// UnmarshalJSON is not called again): fields not in b keep their values,
// unknown fields are refused, and if validate then fails, v is restored.
func overlay[T any](b []byte, v *T, name string, validate func() error) error {
	before := *v
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		*v = before
		return invalid(name, err.Error())
	}
	if dec.More() {
		*v = before
		return invalid(name, "data after the parameters")
	}
	if err := validate(); err != nil {
		*v = before
		return err
	}
	return nil
}

// invalid returns an aftersale ErrInvalidInput error about a policy's
// parameters.
func invalid(name, msg string) error {
	return &aftersale.Error{Code: aftersale.ErrInvalidInput, Message: "policy " + name + ": " + msg}
}
