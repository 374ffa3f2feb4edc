package platform

import (
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
)

// Pinduoduo's after-sale records (pdd.refund.list.increment.get) say where
// a case stands by after_sales_status alone; after_sales_type says the
// kind. The status is worded for the kind ("换货补寄待商家处理" is for
// exchanges and reissues, "待商家同意维修" for repairs), so a status that
// does not fit the type is a contradiction.
//
// Sources disagree on after_sales_type. The list API documents it only as
// its request filter (1 全部, 2 仅退款, 3 退货退款, 4 换货, 5 缺货补寄);
// the detail API (pdd.refund.information.get) numbers the record's type
// from 1 (1 仅退款 ... 5 维修). shouhou reads list records by the list's
// numbering, as OMSs that read this API do; 1 (全部) is no record's type,
// and 6 is read as 维修, which the repair statuses need and the filter
// leaves out.
//
// after_sales_status skips 1, 19, 20, 23, 26 and 28 to 30; those are
// not documented and are refused. (Another Pinduoduo API, for logistics
// warehouses, numbers its after_sales_status differently, from
// 0 初始化; it is not this one.)
var pinduoduoFields = []*field{pinduoduoType, pinduoduoStatus}

var pinduoduoType = &field{name: "after_sales_type", entries: []entry{
	{value: "2", meaning: "仅退款", src: "pdd.list", kind: aftersale.KindRefundOnly},
	{value: "3", meaning: "退货退款", src: "pdd.list", kind: aftersale.KindReturnRefund},
	{value: "4", meaning: "换货", src: "pdd.list", kind: aftersale.KindExchange},
	{value: "5", meaning: "缺货补寄", src: "pdd.list", kind: aftersale.KindReissue},
	{value: "6", meaning: "维修", src: "pdd.oms", kind: aftersale.KindRepair},
}}

var pinduoduoStatus = &field{name: "after_sales_status", entries: []entry{
	{value: "0", meaning: "无售后", src: "pdd.list", scope: NotACase, why: "the order has no after-sale case"},
	{value: "2", meaning: "买家申请退款，待商家处理", src: "pdd.list", state: aftersale.StatePendingReview},
	{value: "3", meaning: "退货退款，待商家处理", src: "pdd.list", state: aftersale.StatePendingReview},
	{value: "4", meaning: "商家同意退款，退款中", src: "pdd.list", state: aftersale.StateRefunding},
	{value: "5", meaning: "平台同意退款，退款中", src: "pdd.list", state: aftersale.StateRefunding},
	{value: "6", meaning: "驳回退款，待买家处理", src: "pdd.list", state: aftersale.StateRejected},
	{value: "7", meaning: "已同意退货退款,待用户发货", src: "pdd.list", state: aftersale.StateAwaitingReturn},
	{value: "8", meaning: "平台处理中", src: "pdd.list", state: aftersale.StateArbitration},
	{value: "9", meaning: "平台拒绝退款，退款关闭", src: "pdd.list", state: aftersale.StateClosed, closed: aftersale.ClosedRuledForMerchant},
	{value: "10", meaning: "退款成功", src: "pdd.list", state: aftersale.StateRefunded},
	{value: "11", meaning: "买家撤销", src: "pdd.list", state: aftersale.StateClosed, closed: aftersale.ClosedWithdrawn},
	{value: "12", meaning: "买家逾期未处理，退款失败", src: "pdd.list", state: aftersale.StateClosed, closed: aftersale.ClosedNotEscalated,
		why: "the buyer let the time to answer a rejection pass"},
	{value: "13", meaning: "买家逾期，超过有效期", src: "pdd.list", state: aftersale.StateClosed, closed: aftersale.ClosedReturnTimeout,
		why: "the buyer let the time to send the goods back pass"},
	{value: "14", meaning: "换货补寄待商家处理", src: "pdd.list", state: aftersale.StatePendingReview},
	{value: "15", meaning: "换货补寄待用户处理", src: "pdd.list", state: aftersale.StateAwaitingReturn,
		why: "for an exchange the buyer is to send the goods back; a reissue asks nothing of the buyer but to answer a rejection: rejected"},
	{value: "16", meaning: "换货补寄成功", src: "pdd.list", ends: true},
	{value: "17", meaning: "换货补寄失败", src: "pdd.list", state: aftersale.StateClosed},
	{value: "18", meaning: "换货补寄待用户确认完成", src: "pdd.list", state: aftersale.StateReshipInTransit},
	{value: "21", meaning: "待商家同意维修", src: "pdd.list", state: aftersale.StatePendingReview},
	{value: "22", meaning: "待用户确认发货", src: "pdd.list", state: aftersale.StateAwaitingReturn,
		why: "the buyer is to send the goods in for repair"},
	{value: "24", meaning: "维修关闭", src: "pdd.list", state: aftersale.StateClosed},
	{value: "25", meaning: "维修成功", src: "pdd.list", state: aftersale.StateRepaired},
	{value: "27", meaning: "待用户确认收货", src: "pdd.list", state: aftersale.StateReshipInTransit},
	{value: "31", meaning: "已同意拒收退款，待用户拒收", src: "pdd.list", state: aftersale.StateIntercepting,
		why: "the refund waits for the parcel to come back refused: shouhou's interception"},
	{value: "32", meaning: "补寄待商家发货", src: "pdd.list", state: aftersale.StateAwaitingReship},
}}

// pinduoduoKinds says which kinds each status is worded for; a status
// missing here fits every kind.
var pinduoduoKinds = map[int][]aftersale.Kind{
	2:  {aftersale.KindRefundOnly},
	3:  {aftersale.KindReturnRefund},
	7:  {aftersale.KindReturnRefund},
	14: {aftersale.KindExchange, aftersale.KindReissue},
	15: {aftersale.KindExchange, aftersale.KindReissue},
	16: {aftersale.KindExchange, aftersale.KindReissue},
	17: {aftersale.KindExchange, aftersale.KindReissue},
	18: {aftersale.KindExchange, aftersale.KindReissue},
	21: {aftersale.KindRepair},
	22: {aftersale.KindRepair},
	24: {aftersale.KindRepair},
	25: {aftersale.KindRepair},
	31: {aftersale.KindRefundOnly},
	32: {aftersale.KindReissue},
}

// PinduoduoCodes are the status codes of a Pinduoduo after-sale record.
type PinduoduoCodes struct {
	Type   int
	Status int
}

// Platform returns Pinduoduo.
func (PinduoduoCodes) Platform() Platform { return Pinduoduo }

// String lists the codes by their field names.
func (c PinduoduoCodes) String() string {
	return "after_sales_type=" + strconv.Itoa(c.Type) + " after_sales_status=" + strconv.Itoa(c.Status)
}

// Place maps the codes to shouhou.
func (c PinduoduoCodes) Place() (Placement, error) {
	st, err := pinduoduoStatus.lookup(Pinduoduo, strconv.Itoa(c.Status))
	if err != nil {
		return Placement{}, err
	}
	if st.scope != 0 {
		return Placement{Scope: st.scope, Why: st.why}, nil
	}
	typ, err := pinduoduoType.lookup(Pinduoduo, strconv.Itoa(c.Type))
	if err != nil {
		return Placement{}, err
	}
	k, s, why := typ.kind, st.state, st.why
	if kinds, ok := pinduoduoKinds[c.Status]; ok && !hasKind(kinds, k) {
		return Placement{}, contradiction(c, "status "+strconv.Itoa(c.Status)+" is not worded for a "+k.String()+" case",
			"状态"+strconv.Itoa(c.Status)+"不适用于“"+k.Label()+"”售后")
	}
	if st.ends {
		s = success(k)
	}
	if c.Status == 15 && k == aftersale.KindReissue {
		s = aftersale.StateRejected
	}
	return check(c, placed(k, s, st.closed, why))
}

func hasKind(ks []aftersale.Kind, k aftersale.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}
