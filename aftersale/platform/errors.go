package platform

import (
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
)

// The rules this package refuses under, as the Rule of the
// *aftersale.Error it returns. Every refusal matches
// aftersale.ErrInvalidInput with errors.Is, but for RuleFinished, which
// matches aftersale.ErrNotPermitted.
const (
	// RuleUnknownCode: a code the platform does not document.
	RuleUnknownCode = "platform.unknown_code"
	// RuleContradiction: codes that contradict one another, such as a
	// refund-only case waiting for goods to come back.
	RuleContradiction = "platform.contradiction"
	// RuleBadJSON: the record is not a JSON object of the documented
	// shape.
	RuleBadJSON = "platform.bad_json"
	// RuleMissingField: a field the mapping needs is absent.
	RuleMissingField = "platform.missing_field"
	// RuleBadField: a field has a value of the wrong form: a time, an
	// amount, an id.
	RuleBadField = "platform.bad_field"
	// RuleNotACase: the record is no after-sale case, or one shouhou does
	// not model (Scope), so there is nothing to adopt.
	RuleNotACase = "platform.not_a_case"
	// RuleFinished: the case is finished on the platform; there is
	// nothing to carry on.
	RuleFinished = "platform.finished"
)

func refuse(code aftersale.Code, rule, en, zh string) error {
	return &aftersale.Error{Code: code, Rule: rule, Message: en, Zh: zh}
}

// unknownCode refuses a value of a field that the platform's documents
// do not list.
func unknownCode(p Platform, field, value string) error {
	return refuse(aftersale.ErrInvalidInput, RuleUnknownCode,
		p.String()+": "+field+" "+strconv.Quote(value)+" is not a documented code",
		p.Label()+"的"+field+"取值"+strconv.Quote(value)+"不在平台文档列出的取值中")
}

// contradiction refuses codes that cannot all hold.
func contradiction(c Codes, en, zh string) error {
	return refuse(aftersale.ErrInvalidInput, RuleContradiction,
		c.Platform().String()+": "+c.String()+": "+en, c.Platform().Label()+"售后单状态自相矛盾（"+c.String()+"）："+zh)
}

func badJSON(p Platform, what string, err error) error {
	return &aftersale.Error{Code: aftersale.ErrInvalidInput, Rule: RuleBadJSON,
		Message: p.String() + ": " + what + ": " + err.Error(), Zh: p.Label() + "售后单不是文档所述的JSON格式：" + err.Error(), Err: err}
}

func missing(p Platform, field string) error {
	return refuse(aftersale.ErrInvalidInput, RuleMissingField, p.String()+": the record has no "+field, p.Label()+"售后单缺少字段"+field)
}

func badField(p Platform, field, value, want string) error {
	return refuse(aftersale.ErrInvalidInput, RuleBadField,
		p.String()+": "+field+" "+strconv.Quote(value)+" is not "+want, p.Label()+"售后单字段"+field+"的值"+strconv.Quote(value)+"格式不对")
}
