package aftersale

import (
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
		return nil, &Error{Code: ErrInvalidInput, Message: "cannot encode " + typ + "(" + strconv.Itoa(int(v)) + ")"}
	}
	return []byte(table[v].text), nil
}

func enumUnmarshal[T ~uint8](table []names, b []byte, v *T, what string) error {
	p, ok := enumParse[T](table, b)
	if !ok {
		return &Error{Code: ErrInvalidInput, Message: fmt.Sprintf("unknown %s %q", what, b)}
	}
	*v = p
	return nil
}

func enumParse[T ~uint8](table []names, b []byte) (T, bool) {
	for i := 1; i < len(table); i++ {
		if table[i].text == string(b) {
			return T(i), true
		}
	}
	return 0, false
}
