package platform

import (
	"testing"

	"github.com/shouhou/shouhou/aftersale"
)

func pdd(typ, status int) PinduoduoCodes { return PinduoduoCodes{Type: typ, Status: status} }

var pinduoduoRows = []placeCase{
	{codes: pdd(2, 0), want: outside(NotACase)},
	{codes: pdd(0, 0), want: outside(NotACase)}, // no case, so no type to read
	{codes: pdd(2, 2), want: at(refundOnly, aftersale.StatePendingReview)},
	{codes: pdd(3, 3), want: at(returnRefund, aftersale.StatePendingReview)},
	{codes: pdd(2, 4), want: at(refundOnly, aftersale.StateRefunding)},
	{codes: pdd(3, 5), want: at(returnRefund, aftersale.StateRefunding)},
	{codes: pdd(2, 6), want: at(refundOnly, aftersale.StateRejected)},
	{codes: pdd(3, 7), want: at(returnRefund, aftersale.StateAwaitingReturn)},
	{codes: pdd(2, 8), want: at(refundOnly, aftersale.StateArbitration)},
	{codes: pdd(2, 9), want: closedAs(refundOnly, aftersale.ClosedRuledForMerchant)},
	{codes: pdd(3, 10), want: at(returnRefund, aftersale.StateRefunded)},
	{codes: pdd(2, 11), want: closedAs(refundOnly, aftersale.ClosedWithdrawn)},
	{codes: pdd(2, 12), want: closedAs(refundOnly, aftersale.ClosedNotEscalated)},
	{codes: pdd(3, 13), want: closedAs(returnRefund, aftersale.ClosedReturnTimeout)},
	{codes: pdd(4, 14), want: at(exchange, aftersale.StatePendingReview)},
	{codes: pdd(5, 14), want: at(reissue, aftersale.StatePendingReview)},
	{codes: pdd(4, 15), want: at(exchange, aftersale.StateAwaitingReturn)},
	{codes: pdd(5, 15), want: at(reissue, aftersale.StateRejected)},
	{codes: pdd(4, 16), want: at(exchange, aftersale.StateExchanged)},
	{codes: pdd(5, 16), want: at(reissue, aftersale.StateReissued)},
	{codes: pdd(4, 17), want: at(exchange, aftersale.StateClosed)},
	{codes: pdd(4, 18), want: at(exchange, aftersale.StateReshipInTransit)},
	{codes: pdd(6, 21), want: at(repair, aftersale.StatePendingReview)},
	{codes: pdd(6, 22), want: at(repair, aftersale.StateAwaitingReturn)},
	{codes: pdd(6, 24), want: at(repair, aftersale.StateClosed)},
	{codes: pdd(6, 25), want: at(repair, aftersale.StateRepaired)},
	{codes: pdd(6, 27), want: at(repair, aftersale.StateReshipInTransit)},
	{codes: pdd(2, 31), want: at(refundOnly, aftersale.StateIntercepting)},
	{codes: pdd(5, 32), want: at(reissue, aftersale.StateAwaitingReship)},
	// A status worded for other kinds is a contradiction.
	{codes: pdd(2, 3), rule: RuleContradiction},
	{codes: pdd(2, 14), rule: RuleContradiction},
	{codes: pdd(4, 21), rule: RuleContradiction},
	{codes: pdd(3, 32), rule: RuleContradiction},
	{codes: pdd(4, 10), rule: RuleContradiction}, // an exchange does not end refunded
	// Undocumented codes.
	{codes: pdd(1, 2), rule: RuleUnknownCode}, // 1 全部 is the list's filter, not a record's type
	{codes: pdd(7, 2), rule: RuleUnknownCode},
	{codes: pdd(2, 1), rule: RuleUnknownCode},
	{codes: pdd(2, 19), rule: RuleUnknownCode},
	{codes: pdd(2, 20), rule: RuleUnknownCode},
	{codes: pdd(2, 23), rule: RuleUnknownCode},
	{codes: pdd(2, 26), rule: RuleUnknownCode},
	{codes: pdd(2, 28), rule: RuleUnknownCode},
	{codes: pdd(2, 33), rule: RuleUnknownCode},
}

func TestPinduoduoPlacements(t *testing.T) {
	checkPlacements(t, pinduoduoRows)
	everyCodeIn(t, Pinduoduo, pinduoduoRows)
}
