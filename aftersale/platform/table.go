package platform

import (
	"slices"
	"strings"

	"github.com/shouhou/shouhou/aftersale"
)

// Code is one documented value of one field of a platform's after-sale
// record: what the platform says it means, where it says so, and what
// shouhou makes of it.
type Code struct {
	Platform Platform
	// Field is the field as the platform names it, such as
	// "after_sale_status".
	Field string
	// Value is the value as text, such as "7" or "WAIT_SELLER_AGREE".
	Value string
	// Meaning is the documented meaning, in the platform's words.
	Meaning string
	// Source says where the meaning is documented.
	Source string
	// Maps says what shouhou makes of the value, in words: a kind, a
	// state and who must act, its effect on the other fields, or why it
	// is no case shouhou carries.
	Maps string
}

// Table returns the documented codes of p, field by field, in the order
// of the platform's documents.
func Table(p Platform) []Code {
	var out []Code
	for _, f := range fieldsOf(p) {
		for _, e := range f.entries {
			out = append(out, Code{Platform: p, Field: f.name, Value: e.value, Meaning: e.meaning, Source: sources[e.src].cite, Maps: e.maps()})
		}
	}
	return out
}

func fieldsOf(p Platform) []*field {
	switch p {
	case Kuaishou:
		return kuaishouFields
	case Douyin:
		return douyinFields
	case Taobao:
		return taobaoFields
	case Pinduoduo:
		return pinduoduoFields
	}
	return nil
}

// field is one coded field of a platform's record and its documented
// values.
type field struct {
	name    string
	entries []entry
}

// entry is one documented value of a field and what shouhou makes of it
// alone; the platform's place function combines the fields.
type entry struct {
	value   string
	meaning string // the documented meaning, short, in the platform's words
	src     string // the key of the source in sources
	// For a field that says the kind:
	kind aftersale.Kind
	// For a field that says the state: the state, or ends for the kind's
	// successful end (refunded, exchanged, reissued or repaired).
	state  aftersale.State
	ends   bool
	closed aftersale.ClosedReason
	// scope is NotACase or OutsideShouhou for a value that is no case
	// shouhou carries; zero otherwise.
	scope Scope
	// why gives the reason for scope, the effect of a value of a field
	// that neither names a kind nor a state, or the decision taken where
	// the documents are silent or disagree.
	why string
}

// find returns the entry of value v.
func (f *field) find(v string) (*entry, bool) {
	for i := range f.entries {
		if f.entries[i].value == v {
			return &f.entries[i], true
		}
	}
	return nil, false
}

// lookup returns the entry of value v, or refuses v as a code p does not
// document.
func (f *field) lookup(p Platform, v string) (*entry, error) {
	if e, ok := f.find(v); ok {
		return e, nil
	}
	return nil, unknownCode(p, f.name, v)
}

// maps says in words what shouhou makes of the entry.
func (e *entry) maps() string {
	var s string
	switch {
	case e.scope != 0:
		return e.scope.String() + ": " + e.why
	case e.kind != 0:
		s = "kind " + e.kind.String() + " " + e.kind.Label()
	case e.ends:
		s = "the kind's success: refunded, exchanged, reissued or repaired (waiting: nobody)"
	case e.state != 0:
		s = e.state.String() + " " + e.state.Label()
		if e.closed != 0 {
			s += " (" + e.closed.String() + ")"
		}
		if w := e.state.Waiting(); w != 0 {
			s += " (waiting: " + w.String() + ")"
		} else {
			s += " (final)"
		}
	}
	if e.why != "" {
		if s != "" {
			s += "; "
		}
		s += e.why
	}
	return s
}

// source is a public document a table cites.
type source struct{ cite string }

// sources are the public documents the tables come from, by key. Each
// entry of a table names the one that documents its meaning.
var sources = map[string]source{
	"ks.detail":  {"快手开放平台 open.seller.order.refund.detail and its 售后 messages (https://open.kwaixiaodian.com/zone/new/docs/api?name=open.seller.order.refund.detail&version=1): the enums as public merchant integrations quote them; whalesky-labs/kwaishop-php-sdk src/Api/Refund/OpenSellerOrderRefundConfirmReceipt.php quotes 22, 30 and 40"},
	"ks.list":    {"快手开放平台 open.seller.order.refund.pcursor.list (status 12 卖家已拒绝, 70 退款关闭): no public copy of this enum was found to cite; taken as the issue quotes the list API"},
	"ks.msg":     {"快手开放平台 售后 messages (handlingWay 3 换货, 4 补寄, 5 维修; status 23, 45): as a public merchant integration of the messages quotes them"},
	"dy.detail":  {"抖店开放平台 afterSale/Detail: zsmhub/doudian-sdk api/afterSale_Detail/response/afterSale_Detail_response.go (the official Java SDK's com.doudian.open.api.afterSale_Detail.data.AfterSaleInfo words them alike)"},
	"dy.list":    {"抖店开放平台 afterSale/List: zsmhub/doudian-sdk api/afterSale_List/response/afterSale_List_response.go"},
	"dy.order":   {"抖店开放平台 order/orderDetail, after_sale_info.refund_status (0-无需退款), as a public integration documents the response; not in afterSale/Detail's list"},
	"tb.get":     {"淘宝开放平台 taobao.refund.get: bububa/opentaobao model/refund/Refund.go and model/trade/Refund.go"},
	"tb.top":     {"淘宝开放平台 taobao.refund.get as the current TOP SDK has it (cs_status 7-11, dispute_type): xingwy/topsdk, type domain.TaobaoRefundGetRefund"},
	"tb.dispute": {"天猫 tmall.dispute.receive.get: bububa/opentaobao model/refund/TmallDisputeReceiveGetAPIRequest.go"},
	"pdd.list":   {"拼多多开放平台 pdd.refund.list.increment.get: lywzx/pdd-node-sdk packages/pdd-origin-api/src/shouHou/PddRefundListIncrementGet.ts, niltor/open-pdd-net-sdk PddOpenSdk/PddOpenSdk/Models/Response/Refund/GetRefundListIncrementResponseModel.cs"},
	"pdd.oms":    {"not in the list API's enum; the qihangerp OMS (zeasin/qihangerp-oms, ShopRefundTransform.transformPddRefund) reads after_sales_type 6 as 维修"},
}

// markdown writes the README's tables: for each platform its codes,
// field by field, and the documents they come from; then the reverse map.
func markdown() string {
	var b strings.Builder
	for _, p := range Platforms() {
		b.WriteString("#### " + p.Label() + " (" + p.String() + ")\n\n")
		b.WriteString("| field | code | 平台含义 | shouhou | source |\n|---|---|---|---|---|\n")
		var cited []string
		for _, f := range fieldsOf(p) {
			for _, e := range f.entries {
				v := e.value
				if v == "" {
					v = "(none)"
				}
				b.WriteString("| " + f.name + " | " + v + " | " + escape(e.meaning) + " | " + escape(e.maps()) + " | " + e.src + " |\n")
				if !slices.Contains(cited, e.src) {
					cited = append(cited, e.src)
				}
			}
		}
		b.WriteString("\n")
		for _, src := range cited {
			b.WriteString("- " + src + ": " + sources[src].cite + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("#### The reverse map: a case's kind and state to each platform's status\n\n")
	b.WriteString(reverseTable())
	return b.String()
}

func escape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
