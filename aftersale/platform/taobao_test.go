package platform

import (
	"testing"

	"github.com/shouhou/shouhou/aftersale"
)

func tb(dispute, status, good string, cs int) TaobaoCodes {
	return TaobaoCodes{DisputeType: dispute, Status: status, GoodStatus: good, CsStatus: cs}
}

var taobaoRows = []placeCase{
	// dispute_type, or has_good_return, says the kind.
	{codes: tb("REFUND", "WAIT_SELLER_AGREE", "BUYER_RECEIVED", 1), want: at(refundOnly, aftersale.StatePendingReview)},
	{codes: tb("REFUND_AND_RETURN", "WAIT_SELLER_AGREE", "BUYER_RECEIVED", 1), want: at(returnRefund, aftersale.StatePendingReview)},
	{codes: tb("TMALL_EXCHANGE", "WAIT_SELLER_AGREE", "BUYER_RECEIVED", 1), want: at(exchange, aftersale.StatePendingReview)},
	{codes: tb("TAOBAO_EXCHANGE", "WAIT_SELLER_AGREE", "BUYER_RECEIVED", 1), want: at(exchange, aftersale.StatePendingReview)},
	{codes: tb("REPAIR", "WAIT_SELLER_AGREE", "BUYER_RECEIVED", 1), want: at(repair, aftersale.StatePendingReview)},
	{codes: tb("RESHIPPING", "WAIT_SELLER_AGREE", "BUYER_RECEIVED", 1), want: at(reissue, aftersale.StatePendingReview)},
	{codes: tb("OTHERS", "WAIT_SELLER_AGREE", "BUYER_RECEIVED", 1), want: outside(OutsideShouhou)},
	{codes: tb("", "WAIT_SELLER_AGREE", "", 0), want: at(refundOnly, aftersale.StatePendingReview)},
	{codes: TaobaoCodes{HasGoodReturn: true, Status: "WAIT_SELLER_AGREE"}, want: at(returnRefund, aftersale.StatePendingReview)},
	// status says the state.
	{codes: tb("REFUND_AND_RETURN", "WAIT_BUYER_RETURN_GOODS", "BUYER_RECEIVED", 1), want: at(returnRefund, aftersale.StateAwaitingReturn)},
	{codes: tb("REFUND_AND_RETURN", "WAIT_SELLER_CONFIRM_GOODS", "BUYER_RETURNED_GOODS", 1), want: at(returnRefund, aftersale.StateReturnInTransit)},
	{codes: tb("REFUND", "SELLER_REFUSE_BUYER", "BUYER_RECEIVED", 1), want: at(refundOnly, aftersale.StateRejected)},
	{codes: tb("REFUND", "CLOSED", "BUYER_RECEIVED", 1), want: at(refundOnly, aftersale.StateClosed)},
	{codes: tb("REFUND", "SUCCESS", "BUYER_NOT_RECEIVED", 6), want: at(refundOnly, aftersale.StateRefunded)},
	{codes: tb("TMALL_EXCHANGE", "SUCCESS", "BUYER_RETURNED_GOODS", 1), want: at(returnRefund, aftersale.StateRefunded)},
	{codes: tb("TMALL_EXCHANGE", "WAIT_SELLER_CONSIGN_GOOGDS", "BUYER_RETURNED_GOODS", 1), want: at(exchange, aftersale.StateAwaitingReship)},
	{codes: tb("TMALL_EXCHANGE", "EXCHANGE_WAIT_BUYER_CONFIRM_GOODS", "BUYER_RETURNED_GOODS", 1), want: at(exchange, aftersale.StateReshipInTransit)},
	{codes: tb("RESHIPPING", "WAIT_BUYER_CONFIRM_REDO_SEND_GOODS", "BUYER_RECEIVED", 1), want: at(reissue, aftersale.StateReshipInTransit)},
	{codes: tb("REFUND_AND_RETURN", "WAIT_SELLER_CONFIRM_RETURN_ADDRESS", "BUYER_RECEIVED", 1), want: at(returnRefund, aftersale.StatePendingReview)},
	{codes: tb("TMALL_EXCHANGE", "EXCHANGE_TRANSFORM_TO_REFUND", "BUYER_RECEIVED", 1), want: at(exchange, aftersale.StateClosed)},
	{codes: tb("REFUND", "POST_FEE_DISPUTE_WAIT_ACTIVATE", "", 0), want: outside(OutsideShouhou)},
	// A refund of goods on their way waits for the merchant to stop them.
	{codes: TaobaoCodes{DisputeType: "REFUND", Status: "WAIT_SELLER_AGREE", GoodStatus: "BUYER_NOT_RECEIVED", CsStatus: 1, OrderStatus: "WAIT_BUYER_CONFIRM_GOODS"}, want: at(refundOnly, aftersale.StateIntercepting)},
	{codes: tb("REFUND", "WAIT_SELLER_AGREE", "BUYER_NOT_RECEIVED", 1), want: at(refundOnly, aftersale.StatePendingReview)}, // not shipped
	// While customer service is involved the case waits for the platform.
	{codes: tb("REFUND", "SELLER_REFUSE_BUYER", "BUYER_RECEIVED", 2), want: at(refundOnly, aftersale.StateArbitration)},
	{codes: tb("REFUND", "SELLER_REFUSE_BUYER", "BUYER_RECEIVED", 3), want: at(refundOnly, aftersale.StateArbitration)},
	{codes: tb("REFUND", "SELLER_REFUSE_BUYER", "BUYER_RECEIVED", 4), want: at(refundOnly, aftersale.StateArbitration)},
	{codes: tb("REFUND", "SELLER_REFUSE_BUYER", "BUYER_RECEIVED", 5), want: at(refundOnly, aftersale.StateArbitration)},
	{codes: tb("REFUND", "SELLER_REFUSE_BUYER", "BUYER_RECEIVED", 10), want: at(refundOnly, aftersale.StateArbitration)},
	{codes: tb("REFUND_AND_RETURN", "WAIT_BUYER_RETURN_GOODS", "BUYER_RECEIVED", 8), want: at(returnRefund, aftersale.StateAwaitingReturn)},
	{codes: tb("REFUND", "SELLER_REFUSE_BUYER", "BUYER_RECEIVED", 9), want: closedAs(refundOnly, aftersale.ClosedRuledForMerchant)},
	{codes: tb("REFUND", "CLOSED", "BUYER_RECEIVED", 9), want: closedAs(refundOnly, aftersale.ClosedRuledForMerchant)},
	{codes: tb("REFUND", "CLOSED", "BUYER_RECEIVED", 7), want: at(refundOnly, aftersale.StateClosed)},
	{codes: tb("REFUND", "SELLER_REFUSE_BUYER", "BUYER_RECEIVED", 11), want: at(refundOnly, aftersale.StateRejected)},
	{codes: tb("REFUND", "SUCCESS", "BUYER_RECEIVED", 3), want: at(refundOnly, aftersale.StateRefunded)}, // final wins
	// What cannot be.
	{codes: tb("REFUND", "WAIT_BUYER_RETURN_GOODS", "BUYER_RECEIVED", 1), rule: RuleContradiction},
	{codes: tb("REFUND", "EXCHANGE_TRANSFORM_TO_REFUND", "BUYER_RECEIVED", 1), rule: RuleContradiction},
	{codes: tb("REFUND", "WAIT_SELLER_AGREED", "BUYER_RECEIVED", 1), rule: RuleUnknownCode},
	{codes: tb("EXCHANGE", "WAIT_SELLER_AGREE", "BUYER_RECEIVED", 1), rule: RuleUnknownCode},
	{codes: tb("REFUND", "WAIT_SELLER_AGREE", "RECEIVED", 1), rule: RuleUnknownCode},
	{codes: tb("REFUND", "WAIT_SELLER_AGREE", "BUYER_RECEIVED", 12), rule: RuleUnknownCode},
}

func TestTaobaoPlacements(t *testing.T) {
	checkPlacements(t, taobaoRows)
	everyCodeIn(t, Taobao, taobaoRows)
}
