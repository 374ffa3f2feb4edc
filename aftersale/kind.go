package aftersale

import "strings"

// Kind is what the buyer asks for. The zero Kind is "not set" and is
// refused as input.
type Kind uint8

// The kinds of case.
const (
	// KindRefundOnly (仅退款): money back; the goods stay with the buyer or
	// were never sent.
	KindRefundOnly Kind = iota + 1
	// KindReturnRefund (退货退款): the buyer sends the goods back, then gets
	// the money back.
	KindReturnRefund
	// KindExchange (换货): the buyer sends the goods back and the merchant
	// sends a replacement.
	KindExchange
	// KindReissue (补寄): the merchant sends what was missing (a unit short,
	// a part, a promised gift); nothing comes back.
	KindReissue
	// KindRepair (维修): the buyer sends the goods back, the merchant
	// repairs them and sends them back.
	KindRepair
)

var kindNames = [...]names{
	KindRefundOnly:   {"refund_only", "仅退款"},
	KindReturnRefund: {"return_refund", "退货退款"},
	KindExchange:     {"exchange", "换货"},
	KindReissue:      {"reissue", "补寄"},
	KindRepair:       {"repair", "维修"},
}

// String returns the text form, such as "refund_only".
func (k Kind) String() string { return enumString(kindNames[:], k, "Kind") }

// Label returns the Chinese label, such as "仅退款".
func (k Kind) Label() string { return enumLabel(kindNames[:], k) }

// MarshalText returns the text form; the zero Kind is an error.
func (k Kind) MarshalText() ([]byte, error) { return enumMarshal(kindNames[:], k, "Kind") }

// UnmarshalText parses the text form.
func (k *Kind) UnmarshalText(b []byte) error { return enumUnmarshal(kindNames[:], b, k, "kind") }

// needsGoods reports whether the case sends goods back, which is only
// possible once they were delivered.
func (k Kind) needsGoods() bool { return k == KindReturnRefund || k == KindExchange || k == KindRepair }

// Kinds is a set of Kind; the zero set means "every kind".
type Kinds uint8

// String lists the kinds joined by ", ", or says "every kind" for the zero
// set.
func (s Kinds) String() string {
	if s == 0 {
		return "every kind"
	}
	var out []string
	for k := Kind(1); int(k) < len(kindNames); k++ {
		if s&(1<<k) != 0 {
			out = append(out, k.String())
		}
	}
	return strings.Join(out, ", ")
}

// Has reports whether k is in s; every kind is in the zero set.
func (s Kinds) Has(k Kind) bool { return s == 0 || s&(1<<k) != 0 }
