package aftersale

import (
	"cmp"
	"fmt"
	"strconv"
)

// names is one entry of an enum's table: its text form and Chinese label.
// Each enum keeps a table indexed by value, with entry 0 (not set) empty.
type names struct{ text, zh string }

func enumValid[T ~uint8](table []names, v T) bool {
	return v != 0 && int(v) < len(table)
}

func enumString[T ~uint8](table []names, v T, typ string) string {
	if enumValid(table, v) {
		return table[v].text
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

func enumLabel[T ~uint8](table []names, v T) string {
	if enumValid(table, v) {
		return table[v].zh
	}
	return ""
}

func enumMarshal[T ~uint8](table []names, v T, typ string) ([]byte, error) {
	if !enumValid(table, v) {
		return nil, refuse(ErrInvalidInput, "json.cannot_encode", "cannot encode "+typ+"("+strconv.Itoa(int(v))+")",
			"无法写出未知的取值"+typ+"("+strconv.Itoa(int(v))+")")
	}
	return []byte(table[v].text), nil
}

func enumUnmarshal[T ~uint8](table []names, b []byte, v *T, what string) error {
	p, ok := enumParse[T](table, b)
	if !ok {
		return refuse(ErrInvalidInput, "json.unknown_name", fmt.Sprintf("unknown %s %q", what, b), "未知的"+cmp.Or(whatZh[what], what)+strconv.Quote(string(b)))
	}
	*v = p
	return nil
}

// whatZh are the Chinese names of the enumerations, as enumUnmarshal and
// bitsUnmarshal name them in refusals.
var whatZh = map[string]string{
	"action": "操作", "actor": "操作人", "category": "商品类目", "closed reason": "关闭原因", "condition": "条件",
	"due rule": "时限规则", "error code": "错误码", "goods tag": "商品标签", "kind": "售后类型", "order flag": "订单标记",
	"payer": "付款方", "reason": "申请原因", "ruling": "判定结果", "state": "状态", "verdict": "结论",
}

func enumParse[T ~uint8](table []names, b []byte) (T, bool) {
	for i := 1; i < len(table); i++ {
		if table[i].text == string(b) {
			return T(i), true
		}
	}
	return 0, false
}
