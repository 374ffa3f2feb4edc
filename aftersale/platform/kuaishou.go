package platform

import (
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
)

// Kuaishou's refund records (快手小店 open.seller.order.refund.detail and
// .pcursor.list, and the after-sale messages) say where a case stands by
// three fields: handlingWay (what the buyer asks for), status (the refund
// order's state) and negotiateStatus (where the merchant's answer
// stands). The documents say the state is their combination: a request
// (status 10 or 11) that the merchant rejected keeps its status and gets
// negotiateStatus 3.
//
// Sources disagree on status 70: the detail API and the messages call it
// 退款失败, the list API 退款关闭. Both mean the refund order ended with
// no refund: shouhou reads 70 as closed. (shouhou's refund_failed is a
// payment that failed and will be retried, which Kuaishou does not
// report.)
var kuaishouFields = []*field{kuaishouHandlingWay, kuaishouStatus, kuaishouNegotiate}

var kuaishouHandlingWay = &field{name: "handlingWay", entries: []entry{
	{value: "1", meaning: "退货退款", src: "ks.detail", kind: aftersale.KindReturnRefund},
	{value: "10", meaning: "仅退款", src: "ks.detail", kind: aftersale.KindRefundOnly},
	{value: "3", meaning: "换货", src: "ks.msg", kind: aftersale.KindExchange},
	{value: "4", meaning: "补寄", src: "ks.msg", kind: aftersale.KindReissue},
	{value: "5", meaning: "维修", src: "ks.msg", kind: aftersale.KindRepair},
}}

var kuaishouStatus = &field{name: "status", entries: []entry{
	{value: "10", meaning: "买家仅退款申请", src: "ks.detail", state: aftersale.StatePendingReview},
	{value: "11", meaning: "买家退货退款申请", src: "ks.detail", state: aftersale.StatePendingReview},
	{value: "12", meaning: "卖家已拒绝", src: "ks.list", state: aftersale.StateRejected},
	{value: "20", meaning: "平台介入-买家仅退款申请", src: "ks.detail", state: aftersale.StateArbitration},
	{value: "21", meaning: "平台介入-买家退货退款申请", src: "ks.detail", state: aftersale.StateArbitration},
	{value: "22", meaning: "平台介入-已确认退货退款", src: "ks.detail", state: aftersale.StateAwaitingReturn,
		why: "the platform ruled that the goods come back (the merchant may confirm receipt from here, says open.seller.order.refund.confirm.receipt)"},
	{value: "23", meaning: "平台介入-待买家确认收货", src: "ks.msg", state: aftersale.StateReshipInTransit},
	{value: "30", meaning: "商品回寄信息待买家更新", src: "ks.detail", state: aftersale.StateAwaitingReturn},
	{value: "40", meaning: "商品回寄信息待卖家确认", src: "ks.detail", state: aftersale.StateReturnInTransit},
	{value: "45", meaning: "卖家已经发货，等待买家确认收货", src: "ks.msg", state: aftersale.StateReshipInTransit},
	{value: "50", meaning: "退款执行中", src: "ks.detail", state: aftersale.StateRefunding},
	{value: "60", meaning: "退款成功", src: "ks.detail", ends: true,
		why: "for an exchange, a reissue or a repair Kuaishou documents no end of its own; shouhou reads 60 as that kind's success"},
	{value: "70", meaning: "退款失败 (detail) / 退款关闭 (list)", src: "ks.detail", state: aftersale.StateClosed,
		why: "the sources disagree on the words; both mean the refund order ended without a refund"},
}}

var kuaishouNegotiate = &field{name: "negotiateStatus", entries: []entry{
	{value: "0", meaning: "未知状态", src: "ks.detail", why: "says nothing: status decides"},
	{value: "1", meaning: "待商家处理", src: "ks.detail", why: "status decides"},
	{value: "2", meaning: "商家同意", src: "ks.detail", why: "with status 10 or 11: refunding for refund_only, awaiting_reship for reissue, awaiting_return for the kinds that send goods back; else status decides"},
	{value: "3", meaning: "商家驳回，等待买家修改", src: "ks.detail", why: "with status 10 or 11: rejected (waiting: buyer); else status decides"},
}}

// KuaishouCodes are the status codes of a Kuaishou refund record.
type KuaishouCodes struct {
	HandlingWay     int
	Status          int
	NegotiateStatus int
}

// Platform returns Kuaishou.
func (KuaishouCodes) Platform() Platform { return Kuaishou }

// String lists the codes by their field names.
func (c KuaishouCodes) String() string {
	return "handlingWay=" + strconv.Itoa(c.HandlingWay) + " status=" + strconv.Itoa(c.Status) + " negotiateStatus=" + strconv.Itoa(c.NegotiateStatus)
}

// Place maps the codes to shouhou: handlingWay says the kind, status the
// state, and negotiateStatus turns a request the merchant answered into
// what the answer made of it.
func (c KuaishouCodes) Place() (Placement, error) {
	way, err := kuaishouHandlingWay.lookup(Kuaishou, strconv.Itoa(c.HandlingWay))
	if err != nil {
		return Placement{}, err
	}
	st, err := kuaishouStatus.lookup(Kuaishou, strconv.Itoa(c.Status))
	if err != nil {
		return Placement{}, err
	}
	if _, err := kuaishouNegotiate.lookup(Kuaishou, strconv.Itoa(c.NegotiateStatus)); err != nil {
		return Placement{}, err
	}
	k, s, why := way.kind, st.state, st.why
	if st.ends {
		s = success(k)
	}
	if c.Status == 10 || c.Status == 11 {
		switch c.NegotiateStatus {
		case 2:
			switch k {
			case aftersale.KindRefundOnly:
				s, why = aftersale.StateRefunding, "the merchant agreed to refund"
			case aftersale.KindReissue:
				s, why = aftersale.StateAwaitingReship, "the merchant agreed to send what was missing"
			default:
				s, why = aftersale.StateAwaitingReturn, "the merchant agreed; the goods come back"
			}
		case 3:
			s, why = aftersale.StateRejected, "the merchant rejected the request; the buyer may change it"
		}
	}
	return check(c, placed(k, s, 0, why))
}
