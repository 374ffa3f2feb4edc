package aftersale

// Reason is why the buyer asks. The zero Reason is "not set" and is refused
// as input.
type Reason uint8

// The reasons a buyer can give.
const (
	ReasonNoReason         Reason = iota + 1 // 无理由
	ReasonQuality                            // 质量问题
	ReasonNotAsDescribed                     // 与描述不符
	ReasonWrongItem                          // 发错货
	ReasonDamaged                            // 运输破损
	ReasonNotReceived                        // 未收到货
	ReasonLateDelivery                       // 超时/物流延误
	ReasonMistakenPurchase                   // 拍错/多拍
	ReasonOther                              // 其他
)

var reasonNames = [...]names{
	ReasonNoReason:         {"no_reason", "无理由"},
	ReasonQuality:          {"quality", "质量问题"},
	ReasonNotAsDescribed:   {"not_as_described", "与描述不符"},
	ReasonWrongItem:        {"wrong_item", "发错货"},
	ReasonDamaged:          {"damaged", "运输破损"},
	ReasonNotReceived:      {"not_received", "未收到货"},
	ReasonLateDelivery:     {"late_delivery", "超时/物流延误"},
	ReasonMistakenPurchase: {"mistaken_purchase", "拍错/多拍"},
	ReasonOther:            {"other", "其他"},
}

// String returns the text form, such as "no_reason".
func (r Reason) String() string { return enumString(reasonNames[:], r, "Reason") }

// Label returns the Chinese label, such as "无理由".
func (r Reason) Label() string { return enumLabel(reasonNames[:], r) }

// MarshalText returns the text form; the zero Reason is an error.
func (r Reason) MarshalText() ([]byte, error) { return enumMarshal(reasonNames[:], r, "Reason") }

// UnmarshalText parses the text form.
func (r *Reason) UnmarshalText(b []byte) error {
	return enumUnmarshal(reasonNames[:], b, r, "reason")
}

// MerchantFault reports whether the reason puts the fault with the
// merchant: quality, not as described, wrong item, damaged in transit.
func (r Reason) MerchantFault() bool {
	switch r {
	case ReasonQuality, ReasonNotAsDescribed, ReasonWrongItem, ReasonDamaged:
		return true
	}
	return false
}
