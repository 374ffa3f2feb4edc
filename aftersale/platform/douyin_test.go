package platform

import (
	"testing"

	"github.com/shouhou/shouhou/aftersale"
)

func dy(typ, status, refund, arbitrate int) DouyinCodes {
	return DouyinCodes{Type: typ, Status: status, RefundStatus: refund, ArbitrateStatus: arbitrate}
}

var douyinRows = []placeCase{
	// after_sale_type says the kind.
	{codes: dy(0, 6, 1, 0), want: at(returnRefund, aftersale.StatePendingReview)},
	{codes: dy(1, 6, 1, 0), want: at(refundOnly, aftersale.StatePendingReview)},
	{codes: dy(2, 6, 1, 0), want: at(refundOnly, aftersale.StatePendingReview)},
	{codes: dy(3, 6, 0, 0), want: at(exchange, aftersale.StatePendingReview)},
	{codes: dy(4, 51, 3, 0), want: outside(NotACase)},
	{codes: dy(5, 51, 3, 0), want: outside(NotACase)},
	{codes: dy(6, 6, 1, 0), want: at(refundOnly, aftersale.StatePendingReview)}, // 价保
	{codes: dy(7, 6, 0, 0), want: at(reissue, aftersale.StatePendingReview)},
	{codes: dy(8, 6, 0, 0), want: at(repair, aftersale.StatePendingReview)},
	// after_sale_status says the state.
	{codes: dy(0, 7, 1, 0), want: at(returnRefund, aftersale.StateAwaitingReturn)},
	{codes: dy(7, 8, 0, 0), want: at(reissue, aftersale.StateAwaitingReship)},
	{codes: dy(0, 11, 1, 0), want: at(returnRefund, aftersale.StateReturnInTransit)},
	{codes: dy(3, 13, 0, 0), want: at(exchange, aftersale.StateReshipInTransit)},
	{codes: dy(3, 3, 0, 0), want: at(exchange, aftersale.StateReshipInTransit)}, // the list's 13
	{codes: dy(3, 14, 0, 0), want: at(exchange, aftersale.StateExchanged)},
	{codes: dy(7, 14, 0, 0), want: at(reissue, aftersale.StateReissued)},
	{codes: dy(8, 14, 0, 0), want: at(repair, aftersale.StateRepaired)},
	{codes: dy(1, 27, 1, 0), want: at(refundOnly, aftersale.StateRejected)},
	{codes: dy(0, 29, 1, 0), want: at(returnRefund, aftersale.StateRejected)},
	{codes: dy(1, 28, 1, 0), want: closedAs(refundOnly, aftersale.ClosedWithdrawn)},
	{codes: dy(1, 28, 1, 3), want: closedAs(refundOnly, aftersale.ClosedRuledForMerchant)},
	{codes: dy(0, 28, 4, 255), want: at(returnRefund, aftersale.StateClosed)},
	{codes: dy(1, 51, 3, 0), want: outside(NotACase)},
	// A success of a refund kind is as far as refund_status says.
	{codes: dy(1, 12, 1, 0), want: at(refundOnly, aftersale.StateRefunding)},
	{codes: dy(1, 12, 2, 0), want: at(refundOnly, aftersale.StateRefunding)},
	{codes: dy(1, 12, 3, 0), want: at(refundOnly, aftersale.StateRefunded)},
	{codes: dy(0, 12, 4, 0), want: at(returnRefund, aftersale.StateRefundFailed)},
	{codes: dy(0, 12, 5, 0), want: at(returnRefund, aftersale.StateRefunded)},
	{codes: dy(0, 53, 3, 0), want: at(returnRefund, aftersale.StateRefunded)},
	{codes: dy(3, 12, 0, 0), want: at(exchange, aftersale.StateExchanged)},
	// While the platform arbitrates the case waits for it.
	{codes: dy(1, 27, 1, 1), want: at(refundOnly, aftersale.StateArbitration)},
	{codes: dy(0, 11, 1, 4), want: at(returnRefund, aftersale.StateArbitration)},
	{codes: dy(0, 6, 1, 5), want: at(returnRefund, aftersale.StateArbitration)},
	{codes: dy(1, 12, 3, 1), want: at(refundOnly, aftersale.StateRefunded)}, // final wins
	{codes: dy(0, 7, 1, 2), want: at(returnRefund, aftersale.StateAwaitingReturn)},
	// What cannot be.
	{codes: dy(1, 7, 1, 0), rule: RuleContradiction}, // refund only never sends goods back
	{codes: dy(0, 14, 3, 0), rule: RuleContradiction},
	{codes: dy(9, 6, 1, 0), rule: RuleUnknownCode},
	{codes: dy(0, 10, 1, 0), rule: RuleUnknownCode},
	{codes: dy(0, 6, 6, 0), rule: RuleUnknownCode},
	{codes: dy(0, 6, 1, 6), rule: RuleUnknownCode},
}

func TestDouyinPlacements(t *testing.T) {
	checkPlacements(t, douyinRows)
	everyCodeIn(t, Douyin, douyinRows)
}
