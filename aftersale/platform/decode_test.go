package platform_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/aftersale/platform"
)

// TestDecodeDocumentedResponses reads the records of each response in
// testdata and checks every field the mapping uses.
func TestDecodeDocumentedResponses(t *testing.T) {
	tests := []struct {
		p    platform.Platform
		file string
		want []platform.Record
	}{
		{platform.Douyin, "douyin_detail_awaiting_return.json", []platform.Record{{
			Platform: platform.Douyin, ID: "7301150938517062000", Order: "6936476692437472563",
			Codes:   platform.DouyinCodes{Type: 0, Status: 7, RefundStatus: 1, ArbitrateStatus: 0},
			Applied: beijing(t, "2026-03-05 10:00"), Updated: beijing(t, "2026-03-05 14:00"), Due: beijing(t, "2026-03-12 14:00"),
			Amount: aftersale.Yuan(299),
		}}},
		{platform.Douyin, "douyin_list_arbitration.json", []platform.Record{{
			Platform: platform.Douyin, ID: "146701382803677771", Order: "6936476692437472563",
			Codes:   platform.DouyinCodes{Type: 1, Status: 27, RefundStatus: 1, ArbitrateStatus: 1},
			Applied: beijing(t, "2026-03-05 10:00"), Updated: beijing(t, "2026-03-06 08:00"),
			Amount: aftersale.Yuan(299),
		}}},
		{platform.Kuaishou, "kuaishou_detail_return_in_transit.json", []platform.Record{{
			Platform: platform.Kuaishou, ID: "2104700001234567", Order: "2015600006452419",
			Codes:   platform.KuaishouCodes{HandlingWay: 1, Status: 40, NegotiateStatus: 2},
			Applied: beijing(t, "2026-03-05 10:00"), Updated: beijing(t, "2026-03-06 18:30"),
			Amount: aftersale.Yuan(299), Carrier: "圆通速递", Waybill: "YT9000000001",
		}}},
		{platform.Taobao, "taobao_refund_get_wait_seller_agree.json", []platform.Record{{
			Platform: platform.Taobao, ID: "2090000000012345", Order: "2067719225654838",
			Codes:   platform.TaobaoCodes{DisputeType: "REFUND", Status: "WAIT_SELLER_AGREE", GoodStatus: "BUYER_RECEIVED", CsStatus: 1, OrderStatus: "TRADE_FINISHED"},
			Applied: beijing(t, "2026-03-05 10:00"), Updated: beijing(t, "2026-03-05 10:00"), Due: beijing(t, "2026-03-07 10:00"),
			Amount: aftersale.Yuan(99),
		}}},
		{platform.Pinduoduo, "pinduoduo_refund_list_increment.json", []platform.Record{
			{
				Platform: platform.Pinduoduo, ID: "9000000001", Order: "260301-123456789012345",
				Codes:   platform.PinduoduoCodes{Type: 3, Status: 7},
				Applied: beijing(t, "2026-03-05 10:00"), Updated: beijing(t, "2026-03-05 16:00"), Amount: aftersale.Yuan(299),
			},
			{
				Platform: platform.Pinduoduo, ID: "9000000002", Order: "260301-123456789012346",
				Codes:   platform.PinduoduoCodes{Type: 2, Status: 10},
				Applied: beijing(t, "2026-03-02 10:00"), Updated: beijing(t, "2026-03-03 10:00"), Amount: aftersale.Yuan(59),
			},
			{
				Platform: platform.Pinduoduo, ID: "9000000003", Order: "260301-123456789012347",
				Codes:   platform.PinduoduoCodes{Type: 2, Status: 0},
				Applied: beijing(t, "2026-03-02 10:00"), Updated: beijing(t, "2026-03-02 10:00"),
			},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got := records(t, tc.p, tc.file)
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(platform.Record{}, "Raw")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, r := range got {
				if len(r.Raw) == 0 || r.Raw[0] != '{' {
					t.Errorf("record %s keeps %.20q, not the record as it came", r.ID, r.Raw)
				}
			}
		})
	}
}

// TestDecodeRefusals checks that malformed records are refused with a
// stable rule that names the field.
func TestDecodeRefusals(t *testing.T) {
	tests := []struct {
		name   string
		p      platform.Platform
		record string
		rule   string
	}{
		{"not JSON", platform.Taobao, `{"refund_id":`, platform.RuleBadJSON},
		{"not an object", platform.Taobao, `["WAIT_SELLER_AGREE"]`, platform.RuleBadJSON},
		{"null", platform.Pinduoduo, `null`, platform.RuleBadJSON},
		{"no status", platform.Taobao, `{"refund_id":"1","created":"2026-03-05 10:00:00","modified":"2026-03-05 10:00:00"}`, platform.RuleMissingField},
		{"a status of the wrong type", platform.Kuaishou, `{"refundId":1,"handlingWay":1,"status":[40],"createTime":1772676000000,"updateTime":1772676000000}`, platform.RuleBadField},
		{"a status that is not an integer", platform.Pinduoduo, `{"id":1,"after_sales_type":2,"after_sales_status":"7a","created_time":"2026-03-05 10:00:00","updated_time":"2026-03-05 10:00:00"}`, platform.RuleBadField},
		{"milliseconds where seconds go", platform.Douyin, `{"process_info":{"after_sale_info":{"after_sale_id":1,"after_sale_type":0,"after_sale_status":7,"apply_time":1772676000000,"update_time":1772676000}}}`, platform.RuleBadField},
		{"seconds where milliseconds go", platform.Kuaishou, `{"refundId":1,"handlingWay":1,"status":40,"createTime":1772676000,"updateTime":1772676000}`, platform.RuleBadField},
		{"a time in another form", platform.Taobao, `{"refund_id":"1","status":"SUCCESS","created":"2026/03/05 10:00","modified":"2026-03-05 10:00:00"}`, platform.RuleBadField},
		{"updated before it was made", platform.Pinduoduo, `{"id":1,"after_sales_type":2,"after_sales_status":2,"created_time":"2026-03-05 10:00:00","updated_time":"2026-03-04 10:00:00"}`, platform.RuleBadField},
		{"an amount with three decimals", platform.Taobao, `{"refund_id":"1","status":"SUCCESS","created":"2026-03-05 10:00:00","modified":"2026-03-05 10:00:00","refund_fee":"1.005"}`, platform.RuleBadField},
		{"a negative amount", platform.Douyin, `{"aftersale_info":{"aftersale_id":"1","aftersale_type":0,"aftersale_status":7,"apply_time":1772676000,"update_time":1772676000,"refund_amount":-1}}`, platform.RuleBadField},
		{"no after-sale id", platform.Douyin, `{"aftersale_info":{"aftersale_id":"","aftersale_type":0,"aftersale_status":7,"apply_time":1772676000,"update_time":1772676000}}`, platform.RuleMissingField},
		{"no process_info", platform.Douyin, `{"order_info":{}}`, platform.RuleMissingField},
		{"a code too large for any table", platform.Kuaishou, `{"refundId":1,"handlingWay":99999999999,"status":40,"createTime":1772676000000,"updateTime":1772676000000}`, platform.RuleUnknownCode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := platform.Decode(tc.p, []byte(tc.record))
			var e *aftersale.Error
			if !errors.As(err, &e) || e.Rule != tc.rule || !errors.Is(err, aftersale.ErrInvalidInput) || e.Zh == "" {
				t.Errorf("got %+v, %v; want an ErrInvalidInput under %s, with its Chinese", r, err, tc.rule)
			}
		})
	}
}

// TestDecodeToleratesAddedFields checks that fields the platforms add
// later, and null for absent ones, do not stop a record from reading.
func TestDecodeToleratesAddedFields(t *testing.T) {
	r, err := platform.DecodeKuaishou([]byte(`{"refundId":"21","handlingWay":10,"status":10,"negotiateStatus":null,
		"createTime":1772676000000,"updateTime":1772676000000,"someFieldAddedIn2027":{"nested":[1,2,3]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(platform.KuaishouCodes{HandlingWay: 10, Status: 10}, r.Codes); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
