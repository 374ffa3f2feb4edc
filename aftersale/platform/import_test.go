package platform_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/aftersale/platform"
)

// TestImportCommand checks the command Import builds from a record: the
// mapped kind and state, the platform's deadline when it is still ahead,
// the amount, and the return parcel only once the goods are on their way.
func TestImportCommand(t *testing.T) {
	decode := func(p platform.Platform, s string) platform.Record {
		r, err := platform.Decode(p, []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	tests := []struct {
		name string
		r    platform.Record
		opts platform.Options
		want aftersale.Command
	}{
		{
			name: "a Taobao refund with the platform's deadline ahead",
			r:    records(t, platform.Taobao, "taobao_refund_get_wait_seller_agree.json")[0],
			want: aftersale.Command{Case: "taobao-2090000000012345", Key: "taobao-2090000000012345", Actor: aftersale.ActorSystem, Action: aftersale.ActionImport,
				Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonOther, State: aftersale.StatePendingReview,
				Due: beijing(t, "2026-03-07 10:00"), Amount: aftersale.Yuan(99)},
		},
		{
			name: "a Taobao reminder older than the record's update: the state's own deadline counts",
			r: decode(platform.Taobao, `{"refund_id":"7","status":"WAIT_BUYER_RETURN_GOODS","dispute_type":"REFUND_AND_RETURN",
				"created":"2026-03-05 10:00:00","modified":"2026-03-06 10:00:00","refund_fee":"299.00",
				"refund_remind_timeout":{"exist_timeout":true,"timeout":"2026-03-06 09:00:00"}}`),
			opts: platform.Options{Case: "c1", Key: "k1", Reason: aftersale.ReasonQuality},
			want: aftersale.Command{Case: "c1", Key: "k1", Actor: aftersale.ActorSystem, Action: aftersale.ActionImport,
				Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality, State: aftersale.StateAwaitingReturn, Amount: aftersale.Yuan(299)},
		},
		{
			name: "a Kuaishou return on its way: the parcel comes along",
			r:    records(t, platform.Kuaishou, "kuaishou_detail_return_in_transit.json")[0],
			want: aftersale.Command{Case: "kuaishou-2104700001234567", Key: "kuaishou-2104700001234567", Actor: aftersale.ActorSystem, Action: aftersale.ActionImport,
				Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonOther, State: aftersale.StateReturnInTransit,
				Amount: aftersale.Yuan(299), Carrier: "圆通速递", Waybill: "YT9000000001"},
		},
		{
			name: "a Kuaishou request still in review: a waybill on it is no return parcel yet",
			r: decode(platform.Kuaishou, `{"refundId":8,"handlingWay":1,"status":11,"negotiateStatus":1,"expressNo":"YT1",
				"createTime":1772676000000,"updateTime":1772676000000}`),
			want: aftersale.Command{Case: "kuaishou-8", Key: "kuaishou-8", Actor: aftersale.ActorSystem, Action: aftersale.ActionImport,
				Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonOther, State: aftersale.StatePendingReview},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := platform.Import(tc.r, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if string(got.Record) != string(tc.r.Raw) {
				t.Errorf("the command carries %.30s, not the record as it came", got.Record)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(aftersale.Command{}, "Record")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
