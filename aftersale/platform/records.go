package platform

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// DecodeKuaishou reads one Kuaishou refund record: the refund object of
// open.seller.order.refund.detail's data, an element of
// open.seller.order.refund.pcursor.list's refund list, or a refund
// message's body. It needs refundId, handlingWay, status, createTime and
// updateTime (Unix milliseconds); it reads oid, negotiateStatus (0 when
// absent), refundFee (fen) and the return parcel's expressNo and
// expressCode.
func DecodeKuaishou(b []byte) (Record, error) {
	o, err := parseObject(Kuaishou, b)
	if err != nil {
		return Record{}, err
	}
	r := Record{Platform: Kuaishou, Raw: clone(b)}
	var c KuaishouCodes
	if r.ID, err = o.needText("refundId"); err != nil {
		return Record{}, err
	}
	if r.Order, _, err = o.text("oid"); err != nil {
		return Record{}, err
	}
	if c.HandlingWay, err = o.code("handlingWay", true); err != nil {
		return Record{}, err
	}
	if c.Status, err = o.code("status", true); err != nil {
		return Record{}, err
	}
	if c.NegotiateStatus, err = o.code("negotiateStatus", false); err != nil {
		return Record{}, err
	}
	r.Codes = c
	if r.Applied, err = needTime(o, "createTime", true); err != nil {
		return Record{}, err
	}
	if r.Updated, err = needTime(o, "updateTime", true); err != nil {
		return Record{}, err
	}
	if r.Amount, err = o.fen("refundFee"); err != nil {
		return Record{}, err
	}
	if r.Waybill, _, err = o.text("expressNo"); err != nil {
		return Record{}, err
	}
	if r.Waybill != "" {
		code, _, err := o.text("expressCode")
		if err != nil {
			return Record{}, err
		}
		r.Carrier = kuaishouCarrier(code)
	}
	return r, span(Kuaishou, r.Applied, r.Updated)
}

// kuaishouCarrier names the carrier of a Kuaishou express code. Kuaishou's
// refund messages document the first nine; others keep their code.
func kuaishouCarrier(code string) string {
	names := map[string]string{"1": "百世快递", "2": "EMS", "3": "申通快递", "4": "顺丰速运", "5": "天天快递", "6": "圆通速递", "7": "韵达快运", "8": "邮政快递包裹", "9": "中通快递"}
	if n, ok := names[code]; ok {
		return n
	}
	if code == "" {
		return "快递"
	}
	return "快递公司" + code
}

// needTime reads a Unix time that must be there, in milliseconds if ms.
func needTime(o object, name string, ms bool) (time.Time, error) {
	v, err := o.unix(name, ms)
	if err == nil && v.IsZero() {
		err = missing(o.p, o.path+name)
	}
	return v, err
}

// needClock reads a clock time that must be there.
func needClock(o object, name string) (time.Time, error) {
	v, err := o.clock(name)
	if err == nil && v.IsZero() {
		err = missing(o.p, o.path+name)
	}
	return v, err
}

// DecodeDouyinDetail reads the data object of Douyin's afterSale/Detail
// response. It needs process_info.after_sale_info with after_sale_id,
// after_sale_type, after_sale_status, apply_time and update_time (Unix
// seconds); it reads refund_status, refund_total_amount (fen, postage
// included, as an order's amount includes what the buyer paid for it),
// status_deadline, process_info.arbitrate_info.arbitrate_status,
// process_info.logistics_info.return (the return parcel) and
// order_info.shop_order_id.
func DecodeDouyinDetail(b []byte) (Record, error) {
	o, err := parseObject(Douyin, b)
	if err != nil {
		return Record{}, err
	}
	process, err := o.needObj("process_info")
	if err != nil {
		return Record{}, err
	}
	info, err := process.needObj("after_sale_info")
	if err != nil {
		return Record{}, err
	}
	r := Record{Platform: Douyin, Raw: clone(b)}
	if r.ID, err = info.needText("after_sale_id"); err != nil {
		return Record{}, err
	}
	var c DouyinCodes
	if c.Type, err = info.code("after_sale_type", true); err != nil {
		return Record{}, err
	}
	if c.Status, err = info.code("after_sale_status", true); err != nil {
		return Record{}, err
	}
	if c.RefundStatus, err = info.code("refund_status", false); err != nil {
		return Record{}, err
	}
	if arb, ok, err := process.obj("arbitrate_info"); err != nil {
		return Record{}, err
	} else if ok {
		if c.ArbitrateStatus, err = arb.code("arbitrate_status", false); err != nil {
			return Record{}, err
		}
	}
	r.Codes = c
	if err := douyinTimes(info, &r); err != nil {
		return Record{}, err
	}
	if r.Amount, err = info.fen("refund_total_amount"); err != nil {
		return Record{}, err
	}
	if logistics, ok, err := process.obj("logistics_info"); err != nil {
		return Record{}, err
	} else if ok {
		if ret, ok, err := logistics.obj("return"); err != nil {
			return Record{}, err
		} else if ok {
			if r.Waybill, _, err = ret.text("tracking_no"); err != nil {
				return Record{}, err
			}
			if r.Carrier, _, err = ret.text("company_name"); err != nil {
				return Record{}, err
			}
		}
	}
	if order, ok, err := o.obj("order_info"); err != nil {
		return Record{}, err
	} else if ok {
		if r.Order, _, err = order.text("shop_order_id"); err != nil {
			return Record{}, err
		}
	}
	return r, span(Douyin, r.Applied, r.Updated)
}

// DecodeDouyinList reads one element of data.items of Douyin's
// afterSale/List response. It needs aftersale_info with aftersale_id,
// aftersale_type, aftersale_status, apply_time and update_time (Unix
// seconds); it reads refund_status, arbitrate_status, refund_amount
// (fen), status_deadline, the return parcel's return_logistics_code and
// return_logistics_company_name, and related_id (the order).
func DecodeDouyinList(b []byte) (Record, error) {
	o, err := parseObject(Douyin, b)
	if err != nil {
		return Record{}, err
	}
	info, err := o.needObj("aftersale_info")
	if err != nil {
		return Record{}, err
	}
	r := Record{Platform: Douyin, Raw: clone(b)}
	if r.ID, err = info.needText("aftersale_id"); err != nil {
		return Record{}, err
	}
	if r.Order, _, err = info.text("related_id"); err != nil {
		return Record{}, err
	}
	var c DouyinCodes
	if c.Type, err = info.code("aftersale_type", true); err != nil {
		return Record{}, err
	}
	if c.Status, err = info.code("aftersale_status", true); err != nil {
		return Record{}, err
	}
	if c.RefundStatus, err = info.code("refund_status", false); err != nil {
		return Record{}, err
	}
	if c.ArbitrateStatus, err = info.code("arbitrate_status", false); err != nil {
		return Record{}, err
	}
	r.Codes = c
	if err := douyinTimes(info, &r); err != nil {
		return Record{}, err
	}
	if r.Amount, err = info.fen("refund_amount"); err != nil {
		return Record{}, err
	}
	if r.Waybill, _, err = info.text("return_logistics_code"); err != nil {
		return Record{}, err
	}
	if r.Carrier, _, err = info.text("return_logistics_company_name"); err != nil {
		return Record{}, err
	}
	return r, span(Douyin, r.Applied, r.Updated)
}

// douyinTimes reads the times both Douyin records carry.
func douyinTimes(info object, r *Record) (err error) {
	if r.Applied, err = needTime(info, "apply_time", false); err != nil {
		return err
	}
	if r.Updated, err = needTime(info, "update_time", false); err != nil {
		return err
	}
	r.Due, err = info.unix("status_deadline", false)
	return err
}

// DecodeTaobao reads the refund object of taobao.refund.get's response
// (refund_get_response.refund). It needs refund_id, status, created and
// modified ("2006-01-02 15:04:05", Beijing time); it reads tid,
// dispute_type, has_good_return, good_status, cs_status, order_status,
// refund_fee (yuan), the return parcel's company_name and sid, and
// refund_remind_timeout (the platform's deadline, when exist_timeout is
// true).
func DecodeTaobao(b []byte) (Record, error) {
	o, err := parseObject(Taobao, b)
	if err != nil {
		return Record{}, err
	}
	r := Record{Platform: Taobao, Raw: clone(b)}
	if r.ID, err = o.needText("refund_id"); err != nil {
		return Record{}, err
	}
	if r.Order, _, err = o.text("tid"); err != nil {
		return Record{}, err
	}
	var c TaobaoCodes
	for _, f := range []struct {
		name string
		to   *string
	}{{"dispute_type", &c.DisputeType}, {"good_status", &c.GoodStatus}, {"order_status", &c.OrderStatus}} {
		if *f.to, _, err = o.text(f.name); err != nil {
			return Record{}, err
		}
	}
	if c.Status, err = o.needText("status"); err != nil {
		return Record{}, err
	}
	if c.HasGoodReturn, err = o.boolean("has_good_return"); err != nil {
		return Record{}, err
	}
	if c.CsStatus, err = o.code("cs_status", false); err != nil {
		return Record{}, err
	}
	r.Codes = c
	if r.Applied, err = needClock(o, "created"); err != nil {
		return Record{}, err
	}
	if r.Updated, err = needClock(o, "modified"); err != nil {
		return Record{}, err
	}
	if r.Amount, err = o.yuan("refund_fee"); err != nil {
		return Record{}, err
	}
	if r.Waybill, _, err = o.text("sid"); err != nil {
		return Record{}, err
	}
	if r.Carrier, _, err = o.text("company_name"); err != nil {
		return Record{}, err
	}
	if remind, ok, err := o.obj("refund_remind_timeout"); err != nil {
		return Record{}, err
	} else if ok {
		exists, err := remind.boolean("exist_timeout")
		if err != nil {
			return Record{}, err
		}
		if exists {
			if r.Due, err = remind.clock("timeout"); err != nil {
				return Record{}, err
			}
		}
	}
	return r, span(Taobao, r.Applied, r.Updated)
}

// DecodePinduoduo reads one element of
// refund_increment_get_response.refund_list of
// pdd.refund.list.increment.get's response. It needs id,
// after_sales_type, after_sales_status, created_time and updated_time
// ("2006-01-02 15:04:05", Beijing time); it reads order_sn,
// refund_amount (yuan, as documented) and tracking_number (the return
// parcel's waybill; the record names no carrier).
func DecodePinduoduo(b []byte) (Record, error) {
	o, err := parseObject(Pinduoduo, b)
	if err != nil {
		return Record{}, err
	}
	r := Record{Platform: Pinduoduo, Raw: clone(b)}
	if r.ID, err = o.needText("id"); err != nil {
		return Record{}, err
	}
	if r.Order, _, err = o.text("order_sn"); err != nil {
		return Record{}, err
	}
	var c PinduoduoCodes
	if c.Type, err = o.code("after_sales_type", true); err != nil {
		return Record{}, err
	}
	if c.Status, err = o.code("after_sales_status", true); err != nil {
		return Record{}, err
	}
	r.Codes = c
	if r.Applied, err = needClock(o, "created_time"); err != nil {
		return Record{}, err
	}
	if r.Updated, err = needClock(o, "updated_time"); err != nil {
		return Record{}, err
	}
	if r.Amount, err = o.yuan("refund_amount"); err != nil {
		return Record{}, err
	}
	if r.Waybill, _, err = o.text("tracking_number"); err != nil {
		return Record{}, err
	}
	if r.Waybill != "" {
		r.Carrier = "快递"
	}
	return r, span(Pinduoduo, r.Applied, r.Updated)
}

// Decode reads a record of platform p: Kuaishou's refund object, Douyin's
// afterSale/Detail data or afterSale/List item (told apart by their
// fields), Taobao's refund or Pinduoduo's refund_list element.
func Decode(p Platform, b []byte) (Record, error) {
	switch p {
	case Kuaishou:
		return DecodeKuaishou(b)
	case Douyin:
		o, err := parseObject(Douyin, b)
		if err != nil {
			return Record{}, err
		}
		if _, list := o.m["aftersale_info"]; list {
			return DecodeDouyinList(b)
		}
		return DecodeDouyinDetail(b)
	case Taobao:
		return DecodeTaobao(b)
	case Pinduoduo:
		return DecodePinduoduo(b)
	}
	return Record{}, refuse(aftersale.ErrInvalidInput, RuleBadJSON, "platform: unknown platform "+strconv.Itoa(int(p)), "未知平台")
}

func clone(b []byte) json.RawMessage { return json.RawMessage(strings.Clone(string(b))) }
