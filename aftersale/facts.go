package aftersale

import (
	"cmp"
	"encoding/json"
	"strconv"
	"strings"
)

// Category is the category of goods an order holds, as far as the
// after-sale rules care. The zero Category counts as CategoryGeneral.
type Category uint8

// The categories. All but CategoryGeneral are excluded from the seven-day
// no-reason return by law.
const (
	CategoryGeneral    Category = iota + 1 // 普通商品
	CategoryCustom                         // 定制商品
	CategoryPerishable                     // 鲜活易腐
	CategoryDigital                        // 数字化商品: downloaded, or unsealed audio-visual or software
	CategoryPeriodical                     // 报纸、期刊 (delivered)
)

var categoryNames = [...]names{
	CategoryGeneral:    {"general", "普通商品"},
	CategoryCustom:     {"custom", "定制商品"},
	CategoryPerishable: {"perishable", "鲜活易腐商品"},
	CategoryDigital:    {"digital", "数字化商品"},
	CategoryPeriodical: {"periodical", "报纸、期刊"},
}

// String returns the text form, such as "perishable".
func (c Category) String() string { return enumString(categoryNames[:], c.orGeneral(), "Category") }

// Label returns the Chinese label.
func (c Category) Label() string { return enumLabel(categoryNames[:], c.orGeneral()) }

// MarshalText returns the text form; the zero Category encodes as "general".
func (c Category) MarshalText() ([]byte, error) {
	return enumMarshal(categoryNames[:], c.orGeneral(), "Category")
}

// UnmarshalText parses the text form.
func (c *Category) UnmarshalText(b []byte) error {
	return enumUnmarshal(categoryNames[:], b, c, "category")
}

func (c Category) orGeneral() Category {
	if c == 0 {
		return CategoryGeneral
	}
	return c
}

// Flags are yes/no facts about an order, as a set. The zero Flags is the
// empty set. In JSON it is an array of names: ["fast_refund"].
type Flags uint8

// The order flags.
const (
	// FlagFreightInsurance: the order carries return-freight insurance (运费险).
	FlagFreightInsurance Flags = 1 << iota
	// FlagFastRefund: the merchant enabled fast refund (极速退款) for it.
	FlagFastRefund
	// FlagNoReasonWaived: the buyer confirmed at purchase that the goods are
	// not returnable without a reason (不支持七天无理由). It stands for the
	// buyer's own confirmation, never a label the merchant set alone: without
	// the buyer's confirmation the seller may not refuse a seven-day no-reason
	// return (SAMR measures: 如无确认，不得拒绝七日无理由退货; RULES.md 5.2.4).
	// Set it only when the buyer confirmed.
	FlagNoReasonWaived
)

var flagNames = []names{
	{"freight_insurance", "运费险"},
	{"fast_refund", "极速退款"},
	{"no_reason_waived", "不支持七天无理由"},
}

// Has reports whether every flag of g is set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// String returns the set's names joined by "|", such as
// "freight_insurance|fast_refund".
func (f Flags) String() string { return bitsString(flagNames, uint8(f)) }

// MarshalJSON returns the set as an array of names.
func (f Flags) MarshalJSON() ([]byte, error) { return bitsMarshal(flagNames, uint8(f)) }

// UnmarshalJSON reads an array of names; an unknown name is an error.
func (f *Flags) UnmarshalJSON(b []byte) error {
	v, err := bitsUnmarshal(flagNames, b, "order flag")
	if err == nil {
		*f = Flags(v)
	}
	return err
}

// Tags are labels on the goods that switch on platform services, as a set.
// In JSON it is an array of names: ["guaranteed_return_30d"].
type Tags uint8

// The goods tags.
const (
	// TagGuaranteedReturn: the goods carry the platform's 30-day guaranteed
	// return (30天包退).
	TagGuaranteedReturn Tags = 1 << iota
)

var tagNames = []names{
	{"guaranteed_return_30d", "30天包退"},
}

// Has reports whether every tag of u is set in t.
func (t Tags) Has(u Tags) bool { return t&u == u }

// String returns the set's names joined by "|".
func (t Tags) String() string { return bitsString(tagNames, uint8(t)) }

// MarshalJSON returns the set as an array of names.
func (t Tags) MarshalJSON() ([]byte, error) { return bitsMarshal(tagNames, uint8(t)) }

// UnmarshalJSON reads an array of names; an unknown name is an error.
func (t *Tags) UnmarshalJSON(b []byte) error {
	v, err := bitsUnmarshal(tagNames, b, "goods tag")
	if err == nil {
		*t = Tags(v)
	}
	return err
}

// bitsNames lists the names of the bits set in v, in table order.
func bitsNames(table []names, v uint8) []string {
	parts := []string{}
	for i, n := range table {
		if v&(1<<i) != 0 {
			parts = append(parts, n.text)
		}
	}
	return parts
}

func bitsString(table []names, v uint8) string {
	return strings.Join(bitsNames(table, v), "|")
}

func bitsMarshal(table []names, v uint8) ([]byte, error) {
	return json.Marshal(bitsNames(table, v))
}

func bitsUnmarshal(table []names, b []byte, what string) (uint8, error) {
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil {
		return 0, refuse(ErrInvalidInput, "json.not_a_list", what+"s must be an array of names", cmp.Or(whatZh[what], what)+"须写成名称的数组")
	}
	var v uint8
next:
	for _, p := range parts {
		for i, n := range table {
			if n.text == p {
				v |= 1 << i
				continue next
			}
		}
		return 0, refuse(ErrInvalidInput, "json.unknown_name", "unknown "+what+" "+p, "未知的"+cmp.Or(whatZh[what], what)+strconv.Quote(p))
	}
	return v, nil
}

// valid reports whether f holds only known flags.
func (f Flags) valid() bool { return f>>len(flagNames) == 0 }

// valid reports whether t holds only known tags.
func (t Tags) valid() bool { return t>>len(tagNames) == 0 }
