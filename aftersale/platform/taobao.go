package platform

import (
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
)

// Taobao's refund records (taobao.refund.get) say where a case stands by
// status, with good_status (where the goods are) and cs_status (where
// customer service, the platform's arbitration, stands); dispute_type, or
// has_good_return where a record has no dispute_type, says the kind.
// Their combination is the state: while customer service is involved
// (cs_status 2 to 5, or 10) the case waits for the platform whatever
// status says, unless that is final; a refund-only request for goods
// shipped and not received (good_status BUYER_NOT_RECEIVED, order_status
// WAIT_BUYER_CONFIRM_GOODS) waits for the merchant to intercept the
// parcel.
//
// taobao.refund.get documents six statuses, all of a refund's life.
// Tmall's exchanges, repairs and reissues go through more, which
// tmall.dispute.receive.get documents; shouhou reads them too, so that
// a record of those kinds finds its state.
//
// The older SDKs list cs_status 1 to 6; the current one adds 7 to 11.
var taobaoFields = []*field{taobaoDisputeType, taobaoStatus, taobaoGoodStatus, taobaoCsStatus}

var taobaoDisputeType = &field{name: "dispute_type", entries: []entry{
	{value: "REFUND", meaning: "仅退款", src: "tb.top", kind: aftersale.KindRefundOnly},
	{value: "REFUND_AND_RETURN", meaning: "退货退款", src: "tb.top", kind: aftersale.KindReturnRefund},
	{value: "TMALL_EXCHANGE", meaning: "天猫换货", src: "tb.top", kind: aftersale.KindExchange},
	{value: "TAOBAO_EXCHANGE", meaning: "淘宝换货", src: "tb.top", kind: aftersale.KindExchange},
	{value: "REPAIR", meaning: "维修", src: "tb.top", kind: aftersale.KindRepair},
	{value: "RESHIPPING", meaning: "补寄", src: "tb.top", kind: aftersale.KindReissue},
	{value: "OTHERS", meaning: "其他", src: "tb.top", scope: OutsideShouhou,
		why: "the record does not say what the buyer asks for, so no kind of shouhou's fits"},
	{value: "", meaning: "(absent: older records)", src: "tb.get", why: "has_good_return decides: true return_refund, false refund_only"},
}}

var taobaoStatus = &field{name: "status", entries: []entry{
	{value: "WAIT_SELLER_AGREE", meaning: "买家已经申请退款，等待卖家同意", src: "tb.get", state: aftersale.StatePendingReview,
		why: "intercepting instead for a refund_only case whose goods are shipped and not received"},
	{value: "WAIT_BUYER_RETURN_GOODS", meaning: "卖家已经同意退款，等待买家退货", src: "tb.get", state: aftersale.StateAwaitingReturn},
	{value: "WAIT_SELLER_CONFIRM_GOODS", meaning: "买家已经退货，等待卖家确认收货", src: "tb.get", state: aftersale.StateReturnInTransit},
	{value: "SELLER_REFUSE_BUYER", meaning: "卖家拒绝退款", src: "tb.get", state: aftersale.StateRejected},
	{value: "CLOSED", meaning: "退款关闭", src: "tb.get", state: aftersale.StateClosed,
		why: "with cs_status 9 the platform ruled for the merchant; otherwise the record does not say why"},
	{value: "SUCCESS", meaning: "退款成功", src: "tb.get", state: aftersale.StateRefunded},
	{value: "WAIT_SELLER_CONSIGN_GOOGDS", meaning: "卖家确认收货,等待卖家发货", src: "tb.dispute", state: aftersale.StateAwaitingReship},
	{value: "EXCHANGE_WAIT_BUYER_CONFIRM_GOODS", meaning: "卖家已发货,等待买家确认收货", src: "tb.dispute", state: aftersale.StateReshipInTransit},
	{value: "WAIT_BUYER_CONFIRM_REDO_SEND_GOODS", meaning: "等待买家确认重新邮寄的货物", src: "tb.dispute", state: aftersale.StateReshipInTransit},
	{value: "WAIT_SELLER_CONFIRM_RETURN_ADDRESS", meaning: "等待卖家确认退货地址", src: "tb.dispute", state: aftersale.StatePendingReview,
		why: "the merchant has yet to give the address the goods go back to: its review is not done"},
	{value: "EXCHANGE_TRANSFORM_TO_REFUND", meaning: "换货关闭,转退货退款", src: "tb.dispute", state: aftersale.StateClosed,
		why: "the exchange closed; the return-refund it became is a record of its own"},
	{value: "POST_FEE_DISPUTE_WAIT_ACTIVATE", meaning: "邮费单已创建,待激活", src: "tb.dispute", scope: OutsideShouhou,
		why: "a claim for postage alone, which shouhou records as the freight of a return, not as a case"},
}}

var taobaoGoodStatus = &field{name: "good_status", entries: []entry{
	{value: "BUYER_NOT_RECEIVED", meaning: "买家未收到货", src: "tb.get", why: "with WAIT_SELLER_AGREE, refund_only and order_status WAIT_BUYER_CONFIRM_GOODS: intercepting"},
	{value: "BUYER_RECEIVED", meaning: "买家已收到货", src: "tb.get", why: "status decides"},
	{value: "BUYER_RETURNED_GOODS", meaning: "买家已退货", src: "tb.get", why: "status decides"},
	{value: "", meaning: "(absent)", src: "tb.get", why: "status decides"},
}}

var taobaoCsStatus = &field{name: "cs_status", entries: []entry{
	{value: "0", meaning: "(absent)", src: "tb.get", why: "status decides"},
	{value: "1", meaning: "不需客服介入", src: "tb.get", why: "status decides"},
	{value: "2", meaning: "需要客服介入", src: "tb.get", why: "arbitration (waiting: platform) unless status is final"},
	{value: "3", meaning: "客服已经介入", src: "tb.get", why: "arbitration unless status is final"},
	{value: "4", meaning: "客服初审完成", src: "tb.get", why: "arbitration unless status is final"},
	{value: "5", meaning: "客服主管复审失败", src: "tb.get", why: "arbitration unless status is final"},
	{value: "6", meaning: "客服处理完成", src: "tb.get", why: "status decides"},
	{value: "7", meaning: "系统撤销(B2B使用)，维权撤销(集市使用)", src: "tb.top", why: "status decides"},
	{value: "8", meaning: "支持买家", src: "tb.top", why: "ruled for the buyer: status decides"},
	{value: "9", meaning: "支持卖家", src: "tb.top", why: "ruled for the merchant: closed ruled_for_merchant unless status is final"},
	{value: "10", meaning: "举证中", src: "tb.top", why: "arbitration unless status is final"},
	{value: "11", meaning: "开放申诉", src: "tb.top", why: "a ruling may be appealed: status decides"},
}}

// TaobaoCodes are the status codes of a Taobao refund record.
type TaobaoCodes struct {
	DisputeType   string // empty on records that have none
	HasGoodReturn bool   // read when DisputeType is empty
	Status        string
	GoodStatus    string // empty when absent
	CsStatus      int    // zero when absent
	OrderStatus   string // the order's trade status, for interceptions; empty when absent
}

// Platform returns Taobao.
func (TaobaoCodes) Platform() Platform { return Taobao }

// String lists the codes by their field names.
func (c TaobaoCodes) String() string {
	s := "status=" + c.Status
	if c.DisputeType != "" {
		s = "dispute_type=" + c.DisputeType + " " + s
	} else {
		s = "has_good_return=" + strconv.FormatBool(c.HasGoodReturn) + " " + s
	}
	if c.GoodStatus != "" {
		s += " good_status=" + c.GoodStatus
	}
	s += " cs_status=" + strconv.Itoa(c.CsStatus)
	if c.OrderStatus != "" {
		s += " order_status=" + c.OrderStatus
	}
	return s
}

// Place maps the codes to shouhou.
func (c TaobaoCodes) Place() (Placement, error) {
	typ, err := taobaoDisputeType.lookup(Taobao, c.DisputeType)
	if err != nil {
		return Placement{}, err
	}
	st, err := taobaoStatus.lookup(Taobao, c.Status)
	if err != nil {
		return Placement{}, err
	}
	if _, err := taobaoGoodStatus.lookup(Taobao, c.GoodStatus); err != nil {
		return Placement{}, err
	}
	if _, err := taobaoCsStatus.lookup(Taobao, strconv.Itoa(c.CsStatus)); err != nil {
		return Placement{}, err
	}
	switch {
	case typ.scope != 0:
		return Placement{Scope: typ.scope, Why: typ.why}, nil
	case st.scope != 0:
		return Placement{Scope: st.scope, Why: st.why}, nil
	}
	k := typ.kind
	if c.DisputeType == "" {
		k = aftersale.KindRefundOnly
		if c.HasGoodReturn {
			k = aftersale.KindReturnRefund
		}
	}
	s, closed, why := st.state, aftersale.ClosedReason(0), ""
	if c.Status == "EXCHANGE_TRANSFORM_TO_REFUND" && k != aftersale.KindExchange {
		return Placement{}, contradiction(c, "EXCHANGE_TRANSFORM_TO_REFUND closes an exchange, not a "+k.String()+" case",
			"换货转退货退款只会出现在换货售后")
	}
	if s == aftersale.StateRefunded && k != aftersale.KindRefundOnly && k != aftersale.KindReturnRefund {
		why = "a " + k.String() + " case that ended in a refund"
		k = aftersale.KindReturnRefund
	}
	if c.Status == "WAIT_SELLER_AGREE" && k == aftersale.KindRefundOnly && c.GoodStatus == "BUYER_NOT_RECEIVED" && c.OrderStatus == "WAIT_BUYER_CONFIRM_GOODS" {
		s, why = aftersale.StateIntercepting, "the goods are on their way; the merchant is to stop the parcel"
	}
	switch {
	case c.CsStatus == 9 && (s == aftersale.StateClosed || !s.Terminal()):
		s, closed, why = aftersale.StateClosed, aftersale.ClosedRuledForMerchant, "the platform ruled for the merchant"
	case !s.Terminal() && (c.CsStatus >= 2 && c.CsStatus <= 5 || c.CsStatus == 10):
		s, why = aftersale.StateArbitration, "customer service is involved"
	}
	return check(c, placed(k, s, closed, why))
}
