package platform

import (
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
)

// Douyin's after-sale records (抖店 afterSale/Detail and afterSale/List)
// say where a case stands by four fields: after_sale_type (aftersale_type
// in the list), after_sale_status (aftersale_status), refund_status and
// arbitrate_status. Their combination is the state: a case "售后成功"
// (12) of a refund kind is refunded only once refund_status says 3; while
// the platform arbitrates (arbitrate_status 1, 4 or 5) the case waits for
// it whatever after_sale_status says, unless that is final.
//
// The two APIs number after_sale_status alike but word it differently,
// and each has codes the other lacks: the list's 3 换货待买家收货 is the
// detail's 13, which the list does not have; the list does not have 51
// and 53 either. The detail documents no values of arbitrate_status,
// the list does: shouhou reads both records with the list's.
var douyinFields = []*field{douyinType, douyinStatus, douyinRefundStatus, douyinArbitrate}

var douyinType = &field{name: "after_sale_type", entries: []entry{
	{value: "0", meaning: "售后退货退款 / 退货退款", src: "dy.detail", kind: aftersale.KindReturnRefund},
	{value: "1", meaning: "售后仅退款 / 已发货仅退款", src: "dy.detail", kind: aftersale.KindRefundOnly},
	{value: "2", meaning: "发货前退款 / 未发货仅退款", src: "dy.detail", kind: aftersale.KindRefundOnly},
	{value: "3", meaning: "换货", src: "dy.detail", kind: aftersale.KindExchange},
	{value: "4", meaning: "系统取消", src: "dy.detail", scope: NotACase,
		why: "an order the system cancelled before it was fulfilled, not a request after the sale; the order system carries it"},
	{value: "5", meaning: "用户取消", src: "dy.detail", scope: NotACase,
		why: "an order the buyer cancelled before it was fulfilled, not a request after the sale; the order system carries it"},
	{value: "6", meaning: "价保", src: "dy.detail", kind: aftersale.KindRefundOnly,
		why: "price protection pays back a price drop while the goods stay with the buyer: shouhou's refund_only, for the difference"},
	{value: "7", meaning: "补寄", src: "dy.detail", kind: aftersale.KindReissue},
	{value: "8", meaning: "维修", src: "dy.detail", kind: aftersale.KindRepair},
}}

var douyinStatus = &field{name: "after_sale_status", entries: []entry{
	{value: "3", meaning: "换货待买家收货 (list; the detail's 13)", src: "dy.list", state: aftersale.StateReshipInTransit},
	{value: "6", meaning: "售后申请 / 待商家同意", src: "dy.detail", state: aftersale.StatePendingReview},
	{value: "7", meaning: "售后退货中 / 待买家退货", src: "dy.detail", state: aftersale.StateAwaitingReturn},
	{value: "8", meaning: "【补寄维修返回：售后待商家发货】 / 待商家发货", src: "dy.detail", state: aftersale.StateAwaitingReship},
	{value: "11", meaning: "售后已发货 / 待商家二次同意", src: "dy.detail", state: aftersale.StateReturnInTransit,
		why: "the buyer has sent the goods back; the merchant is to receive them"},
	{value: "12", meaning: "售后成功", src: "dy.detail", ends: true,
		why: "for a refund kind, refund_status says whether the money has gone: 0, 1 or 2 refunding, 4 refund_failed"},
	{value: "13", meaning: "【换货补寄维修返回：售后商家已发货，待用户收货】", src: "dy.detail", state: aftersale.StateReshipInTransit},
	{value: "14", meaning: "【换货补寄维修返回：售后用户已收货】 / 换货成功", src: "dy.detail", ends: true,
		why: "worded for exchanges, reissues and repairs only"},
	{value: "27", meaning: "拒绝售后申请 / 商家一次拒绝", src: "dy.detail", state: aftersale.StateRejected},
	{value: "28", meaning: "售后失败", src: "dy.detail", state: aftersale.StateClosed,
		why: "with refund_status 1 the buyer withdrew (the detail says so); with arbitrate_status 3 the platform ruled for the merchant"},
	{value: "29", meaning: "售后退货拒绝 / 商家二次拒绝", src: "dy.detail", state: aftersale.StateRejected,
		why: "the merchant refused the goods sent back"},
	{value: "51", meaning: "订单取消成功", src: "dy.detail", scope: NotACase,
		why: "the order was cancelled (after_sale_type 4 or 5), not an after-sale case"},
	{value: "53", meaning: "逆向交易已完成", src: "dy.detail", ends: true,
		why: "the reverse transaction completed: the case ended as its kind succeeds"},
}}

var douyinRefundStatus = &field{name: "refund_status", entries: []entry{
	{value: "0", meaning: "无需退款", src: "dy.order", why: "status decides"},
	{value: "1", meaning: "待退款", src: "dy.detail", why: "with status 12 or 53 of a refund kind: refunding; with 28: the buyer withdrew"},
	{value: "2", meaning: "退款中", src: "dy.detail", why: "with status 12 or 53 of a refund kind: refunding"},
	{value: "3", meaning: "退款成功", src: "dy.detail", why: "with status 12 or 53 of a refund kind: refunded"},
	{value: "4", meaning: "退款失败", src: "dy.detail", why: "with status 12 or 53 of a refund kind: refund_failed (waiting: platform)"},
	{value: "5", meaning: "追缴成功", src: "dy.detail", why: "the money went and the platform has recovered what it advanced: refunded"},
}}

var douyinArbitrate = &field{name: "arbitrate_status", entries: []entry{
	{value: "0", meaning: "无仲裁记录", src: "dy.list", why: "status decides"},
	{value: "1", meaning: "仲裁中", src: "dy.list", why: "arbitration (waiting: platform) unless status is final"},
	{value: "2", meaning: "客服同意", src: "dy.list", why: "ruled for the buyer: status decides"},
	{value: "3", meaning: "客服拒绝", src: "dy.list", why: "ruled for the merchant: status decides; with 28, closed ruled_for_merchant"},
	{value: "4", meaning: "待商家举证", src: "dy.list", why: "arbitration (waiting: platform; the merchant may submit evidence) unless status is final"},
	{value: "5", meaning: "协商期", src: "dy.list", why: "arbitration (waiting: platform; the parties may still agree) unless status is final"},
	{value: "255", meaning: "仲裁结束", src: "dy.list", why: "status decides"},
}}

// DouyinCodes are the status codes of a Douyin after-sale record.
type DouyinCodes struct {
	Type            int
	Status          int
	RefundStatus    int
	ArbitrateStatus int
}

// Platform returns Douyin.
func (DouyinCodes) Platform() Platform { return Douyin }

// String lists the codes by their field names.
func (c DouyinCodes) String() string {
	return "after_sale_type=" + strconv.Itoa(c.Type) + " after_sale_status=" + strconv.Itoa(c.Status) +
		" refund_status=" + strconv.Itoa(c.RefundStatus) + " arbitrate_status=" + strconv.Itoa(c.ArbitrateStatus)
}

// Place maps the codes to shouhou.
func (c DouyinCodes) Place() (Placement, error) {
	typ, err := douyinType.lookup(Douyin, strconv.Itoa(c.Type))
	if err != nil {
		return Placement{}, err
	}
	st, err := douyinStatus.lookup(Douyin, strconv.Itoa(c.Status))
	if err != nil {
		return Placement{}, err
	}
	for _, f := range []struct {
		field *field
		v     int
	}{{douyinRefundStatus, c.RefundStatus}, {douyinArbitrate, c.ArbitrateStatus}} {
		if _, err := f.field.lookup(Douyin, strconv.Itoa(f.v)); err != nil {
			return Placement{}, err
		}
	}
	switch {
	case typ.scope != 0:
		return Placement{Scope: typ.scope, Why: typ.why}, nil
	case st.scope != 0:
		return Placement{Scope: st.scope, Why: st.why}, nil
	}
	k, s, closed, why := typ.kind, st.state, aftersale.ClosedReason(0), typ.why
	if c.Status == 14 && (k == aftersale.KindRefundOnly || k == aftersale.KindReturnRefund) {
		return Placement{}, contradiction(c, "status 14 is worded for exchanges, reissues and repairs, not for a "+k.String()+" case",
			"状态14只适用于换货、补寄、维修售后")
	}
	if st.ends {
		s = success(k)
		if k == aftersale.KindRefundOnly || k == aftersale.KindReturnRefund {
			switch c.RefundStatus {
			case 0, 1, 2:
				s, why = aftersale.StateRefunding, "the case succeeded; the money has not gone yet"
			case 4:
				s, why = aftersale.StateRefundFailed, "the case succeeded but the refund failed"
			}
		}
	}
	if c.Status == 28 {
		switch {
		case c.ArbitrateStatus == 3:
			closed = aftersale.ClosedRuledForMerchant
		case c.RefundStatus == 1 && c.ArbitrateStatus == 0:
			closed = aftersale.ClosedWithdrawn
		}
	}
	if !s.Terminal() && (c.ArbitrateStatus == 1 || c.ArbitrateStatus == 4 || c.ArbitrateStatus == 5) {
		s, why = aftersale.StateArbitration, "the platform is arbitrating"
	}
	return check(c, placed(k, s, closed, why))
}
