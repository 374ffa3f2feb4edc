package policy

import (
	"bytes"
	"encoding/json"
	"errors"

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
		return invalidJSON(name, err)
	}
	if dec.More() {
		*v = before
		return invalid(name, "data after the parameters", "参数之后还有多余的内容")
	}
	if err := validate(); err != nil {
		*v = before
		return err
	}
	return nil
}

// invalid returns an aftersale ErrInvalidInput error about a policy's
// parameters, saying what is wrong in English (msg) and Chinese (zh).
func invalid(name, msg, zh string) error {
	return &aftersale.Error{Code: aftersale.ErrInvalidInput, Rule: ruleBadParameter, Message: "policy " + name + ": " + msg, Zh: "政策“" + name + "”的参数有误：" + zh}
}

// ruleBadParameter is the rule id of a refused parameter, the Engine's own
// for a rule set it cannot use.
const ruleBadParameter = "rules.bad_parameter"

// invalidJSON is invalid for parameters that did not decode: an error of
// package aftersale behind it, such as bad money, is the rule that refused.
func invalidJSON(name string, err error) error {
	e := invalid(name, err.Error(), "参数的格式有误").(*aftersale.Error)
	var inner *aftersale.Error
	if errors.As(err, &inner) && inner.Rule != "" {
		e.Rule, e.Zh = inner.Rule, "政策“"+name+"”的参数有误："+inner.Zh
	}
	return e
}
