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
		return 0, fail(ErrInvalidInput, "money: empty amount")
	}
	var yuan, fen int64
	i := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		yuan = yuan*10 + int64(s[i]-'0')
		if Money(yuan) > maxMoney/100 {
			return 0, fail(ErrInvalidInput, "money: amount "+strconv.Quote(s)+" is too large")
		}
	}
	if i == 0 {
		return 0, fail(ErrInvalidInput, "money: "+strconv.Quote(s)+" does not start with a digit (negative amounts and signs are not accepted)")
	}
	if i < len(s) {
		if s[i] != '.' {
			return 0, fail(ErrInvalidInput, "money: "+strconv.Quote(s)+" is not an amount like 299.00")
		}
		dec := s[i+1:]
		if len(dec) == 0 || len(dec) > 2 {
			return 0, fail(ErrInvalidInput, "money: "+strconv.Quote(s)+" needs one or two decimals")
		}
		for j := 0; j < len(dec); j++ {
			if dec[j] < '0' || dec[j] > '9' {
				return 0, fail(ErrInvalidInput, "money: "+strconv.Quote(s)+" is not an amount like 299.00")
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
		return nil, fail(ErrInvalidInput, "money: cannot encode a negative amount "+m.String())
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
		return fail(ErrInvalidInput, "money: "+string(b)+" must be a string such as \"299.00\"")
	}
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return fail(ErrInvalidInput, "money: "+string(b)+" is not a valid string")
	}
	return m.UnmarshalText([]byte(s))
}
