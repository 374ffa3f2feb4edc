package platform

import (
	"testing"

	"github.com/shouhou/shouhou/aftersale"
)

func ks(way, status, negotiate int) KuaishouCodes {
	return KuaishouCodes{HandlingWay: way, Status: status, NegotiateStatus: negotiate}
}

var kuaishouRows = []placeCase{
	// handlingWay says the kind.
	{codes: ks(10, 10, 1), want: at(refundOnly, aftersale.StatePendingReview)},
	{codes: ks(1, 11, 1), want: at(returnRefund, aftersale.StatePendingReview)},
	{codes: ks(3, 11, 1), want: at(exchange, aftersale.StatePendingReview)},
	{codes: ks(4, 11, 1), want: at(reissue, aftersale.StatePendingReview)},
	{codes: ks(5, 11, 1), want: at(repair, aftersale.StatePendingReview)},
	// status says the state.
	{codes: ks(1, 12, 0), want: at(returnRefund, aftersale.StateRejected)},
	{codes: ks(10, 20, 0), want: at(refundOnly, aftersale.StateArbitration)},
	{codes: ks(1, 21, 0), want: at(returnRefund, aftersale.StateArbitration)},
	{codes: ks(1, 22, 0), want: at(returnRefund, aftersale.StateAwaitingReturn)},
	{codes: ks(3, 23, 0), want: at(exchange, aftersale.StateReshipInTransit)},
	{codes: ks(1, 30, 2), want: at(returnRefund, aftersale.StateAwaitingReturn)},
	{codes: ks(1, 40, 2), want: at(returnRefund, aftersale.StateReturnInTransit)},
	{codes: ks(3, 45, 2), want: at(exchange, aftersale.StateReshipInTransit)},
	{codes: ks(4, 45, 2), want: at(reissue, aftersale.StateReshipInTransit)},
	{codes: ks(10, 50, 2), want: at(refundOnly, aftersale.StateRefunding)},
	{codes: ks(10, 60, 2), want: at(refundOnly, aftersale.StateRefunded)},
	{codes: ks(3, 60, 2), want: at(exchange, aftersale.StateExchanged)},
	{codes: ks(5, 60, 2), want: at(repair, aftersale.StateRepaired)},
	{codes: ks(1, 70, 0), want: at(returnRefund, aftersale.StateClosed)},
	// negotiateStatus turns an answered request into what the answer made.
	{codes: ks(10, 10, 2), want: at(refundOnly, aftersale.StateRefunding)},
	{codes: ks(1, 11, 2), want: at(returnRefund, aftersale.StateAwaitingReturn)},
	{codes: ks(4, 11, 2), want: at(reissue, aftersale.StateAwaitingReship)},
	{codes: ks(10, 10, 3), want: at(refundOnly, aftersale.StateRejected)},
	{codes: ks(1, 11, 3), want: at(returnRefund, aftersale.StateRejected)},
	{codes: ks(10, 10, 0), want: at(refundOnly, aftersale.StatePendingReview)},
	{codes: ks(10, 20, 3), want: at(refundOnly, aftersale.StateArbitration)},
	// What cannot be.
	{codes: ks(10, 30, 2), rule: RuleContradiction}, // refund only never sends goods back
	{codes: ks(1, 45, 2), rule: RuleContradiction},  // nothing is sent to the buyer of a return-refund
	{codes: ks(0, 10, 1), rule: RuleUnknownCode},    // 未知
	{codes: ks(2, 10, 1), rule: RuleUnknownCode},
	{codes: ks(10, 0, 1), rule: RuleUnknownCode},
	{codes: ks(10, 80, 1), rule: RuleUnknownCode},
	{codes: ks(10, 10, 4), rule: RuleUnknownCode},
}

func TestKuaishouPlacements(t *testing.T) {
	checkPlacements(t, kuaishouRows)
	everyCodeIn(t, Kuaishou, kuaishouRows)
}
