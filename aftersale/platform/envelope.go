package platform

import (
	"encoding/json"
	"errors"
	"strconv"
)

// Records returns the after-sale records in a platform API's response
// body, each as it came, for Decode:
//   - Kuaishou: open.seller.order.refund.detail's data;
//   - Douyin: afterSale/Detail's data, or each of afterSale/List's
//     data.items;
//   - Taobao: taobao.refund.get's refund_get_response.refund;
//   - Pinduoduo: each of pdd.refund.list.increment.get's
//     refund_increment_get_response.refund_list.
//
// A body that has none of these is an ErrInvalidInput error under
// RuleBadJSON; a list that is empty is no records and no error.
func Records(p Platform, body []byte) ([]json.RawMessage, error) {
	top, err := parseObject(p, body)
	if err != nil {
		return nil, err
	}
	switch p {
	case Kuaishou:
		return one(top, "data")
	case Douyin:
		data, err := top.needObj("data")
		if err != nil {
			return nil, err
		}
		if _, list := data.m["items"]; list {
			return many(data, "items")
		}
		return one(top, "data")
	case Taobao:
		resp, err := top.needObj("refund_get_response")
		if err != nil {
			return nil, err
		}
		return one(resp, "refund")
	case Pinduoduo:
		resp, err := top.needObj("refund_increment_get_response")
		if err != nil {
			return nil, err
		}
		return many(resp, "refund_list")
	}
	return nil, badJSON(p, "the response", errors.New("unknown platform"))
}

// one returns the object in field name as the only record.
func one(o object, name string) ([]json.RawMessage, error) {
	if _, err := o.needObj(name); err != nil {
		return nil, err
	}
	return []json.RawMessage{o.raw(name)}, nil
}

// many returns the elements of the array in field name, each an object.
func many(o object, name string) ([]json.RawMessage, error) {
	v := o.raw(name)
	if v == nil {
		return nil, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, badField(o.p, o.path+name, short(v), "an array of records")
	}
	for i, r := range list {
		if _, err := parseObject(o.p, r); err != nil {
			return nil, badField(o.p, o.path+name+"["+strconv.Itoa(i)+"]", short(r), "a record object")
		}
	}
	return list, nil
}
