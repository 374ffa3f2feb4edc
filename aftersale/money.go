package aftersale

import (
	"math"
	"strconv"
)

// Money is an amount in fen (分), the hundredth of a yuan. It is an integer
// so sums never drift; there is no floating point anywhere in shouhou.
//
// Its text form is yuan with exactly two decimals: "299.00". In JSON it is
// that text as a string; a JSON number is refused, because 299 could mean
// yuan or fen.
type Money int64

// Fen returns n fen.
func Fen(n int64) Money { return Money(n) }

// Yuan returns n whole yuan.
func Yuan(n int64) Money { return Money(n * 100) }

// maxMoney keeps parsed amounts far from overflow when they are added up.
const maxMoney = Money(math.MaxInt64 / 4)

// ParseMoney parses an amount of yuan: "299" is 29900 fen, and "299.5"
// and "299.50" are both 29950 fen. It refuses negative amounts, signs,
// more than two decimals, exponents, spaces, an empty string and anything
// else, with an ErrInvalidInput error that says why.
func ParseMoney(s string) (Money, error) {
	if s == "" {
		return 0, refuse(ErrInvalidInput, "money.empty", "money: empty amount", "金额为空")
	}
	var yuan, fen int64
	i := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		yuan = yuan*10 + int64(s[i]-'0')
		if Money(yuan) > maxMoney/100 {
			return 0, refuse(ErrInvalidInput, "money.too_large", "money: amount "+strconv.Quote(s)+" is too large", "金额"+strconv.Quote(s)+"过大")
		}
	}
	if i == 0 {
		return 0, refuse(ErrInvalidInput, "money.malformed", "money: "+strconv.Quote(s)+" does not start with a digit (negative amounts and signs are not accepted)",
			"金额"+strconv.Quote(s)+"须以数字开头（不接受负数和正负号）")
	}
	if i < len(s) {
		if s[i] != '.' {
			return 0, refuse(ErrInvalidInput, "money.malformed", "money: "+strconv.Quote(s)+" is not an amount like 299.00", "金额"+strconv.Quote(s)+"格式不对，应写作299.00这样")
		}
		dec := s[i+1:]
		if len(dec) == 0 || len(dec) > 2 {
			return 0, refuse(ErrInvalidInput, "money.decimals", "money: "+strconv.Quote(s)+" needs one or two decimals", "金额"+strconv.Quote(s)+"须有一位或两位小数")
		}
		for j := 0; j < len(dec); j++ {
			if dec[j] < '0' || dec[j] > '9' {
				return 0, refuse(ErrInvalidInput, "money.malformed", "money: "+strconv.Quote(s)+" is not an amount like 299.00", "金额"+strconv.Quote(s)+"格式不对，应写作299.00这样")
			}
			fen = fen*10 + int64(dec[j]-'0')
		}
		if len(dec) == 1 {
			fen *= 10
		}
	}
	return Money(yuan*100 + fen), nil
}

// String returns the amount in yuan with two decimals, such as "299.00" or
// "-0.50".
func (m Money) String() string {
	var buf [24]byte
	return string(m.appendText(buf[:0]))
}

func (m Money) appendText(b []byte) []byte {
	u := uint64(m)
	if m < 0 {
		b = append(b, '-')
		u = -u
	}
	b = strconv.AppendUint(b, u/100, 10)
	f := u % 100
	return append(b, '.', byte('0'+f/10), byte('0'+f%10))
}

// MarshalText returns the form String gives. Negative amounts never occur
// in a valid case and are refused.
func (m Money) MarshalText() ([]byte, error) {
	if m < 0 {
		return nil, refuse(ErrInvalidInput, "money.negative", "money: cannot encode a negative amount "+m.String(), "不能写出负数金额"+yuan(m))
	}
	return m.appendText(nil), nil
}

// UnmarshalText parses the form ParseMoney accepts.
func (m *Money) UnmarshalText(b []byte) error {
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// UnmarshalJSON accepts a JSON string that ParseMoney accepts. A JSON
// number is refused: write "299.00", not 299.
func (m *Money) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return refuse(ErrInvalidInput, "money.not_string", "money: "+string(b)+" must be a string such as \"299.00\"", "金额"+string(b)+"须写成字符串，如\"299.00\"")
	}
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return refuse(ErrInvalidInput, "money.malformed", "money: "+string(b)+" is not a valid string", "金额"+string(b)+"不是有效的字符串")
	}
	return m.UnmarshalText([]byte(s))
}
