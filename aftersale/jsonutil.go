package aftersale

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// badJSON is the refusal of a stored form that did not decode (err, from
// strictJSON), named as what ("case: ", "order: ") and whatZh. An error of
// this package behind it, such as bad money, is the rule that refused.
func badJSON(what, whatZh string, err error) error {
	e := &Error{Code: ErrInvalidInput, Rule: "json.malformed", Message: what + err.Error(), Zh: whatZh + "数据的格式有误"}
	var inner *Error
	if errors.As(err, &inner) && inner.Rule != "" {
		e.Rule, e.Zh = inner.Rule, whatZh+"数据有误："+inner.Zh
	}
	return e
}

// strictJSON decodes one JSON value into v, refusing unknown fields and
// anything after the value.
func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}
