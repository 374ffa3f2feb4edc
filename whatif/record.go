package whatif

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Input is one recorded input of an order: a command sent at At, or, with
// Advance, a deadline sweep that brought the order to At.
type Input struct {
	At      time.Time          `json:"at"`
	Command *aftersale.Command `json:"command,omitempty"`
	Advance bool               `json:"advance,omitempty"`
}

// Record is one recorded order: its facts, without cases, and the inputs
// it received, in order. It is one line of a JSON Lines file.
type Record struct {
	Order  aftersale.Order `json:"order"`
	Inputs []Input         `json:"inputs"`
}

// MaxLine is the longest line a Reader accepts: 16 MiB.
const MaxLine = 16 << 20

// Reader reads records from JSON Lines, one at a time: it never holds
// more than one line. Blank lines are skipped.
type Reader struct {
	sc   *bufio.Scanner
	line int
}

// NewReader returns a Reader of r.
func NewReader(r io.Reader) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	return &Reader{sc: sc}
}

// Line returns the number of the line read last, from 1.
func (r *Reader) Line() int { return r.line }

// NextLine returns the next non-blank line, valid until the next call, or
// io.EOF at the end.
func (r *Reader) NextLine() ([]byte, error) {
	for r.sc.Scan() {
		r.line++
		if b := r.sc.Bytes(); len(bytes.TrimSpace(b)) > 0 {
			return b, nil
		}
	}
	if err := r.sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", r.line+1, err)
	}
	return nil, io.EOF
}

// Next returns the next record, or io.EOF at the end.
func (r *Reader) Next() (Record, error) {
	b, err := r.NextLine()
	if err != nil {
		return Record{}, err
	}
	rec, err := ParseRecord(b)
	if err != nil {
		return Record{}, fmt.Errorf("line %d: %w", r.line, err)
	}
	return rec, nil
}

// ParseRecord decodes one line. The order must have no cases, and each
// input must be a command or an advance, not both; times must not go back.
// A line may also be an order in shouhou's stored form, as json.Marshal
// of an Order writes it (its "format" first): its record is recovered from
// its events (Recover).
func ParseRecord(b []byte) (Record, error) {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte(`{"format":`)) {
		var o aftersale.Order
		if err := json.Unmarshal(b, &o); err != nil {
			return Record{}, err
		}
		return Recover(&o), nil
	}
	// The facts are read as plain fields, not through Order's own JSON
	// form (the stored form, with its migration and its replay of cases):
	// that is most of the time of a replay. A stored order's other fields
	// (format, version, cases) are unknown fields here, and refused.
	var in recordJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Record{}, err
	}
	if dec.More() {
		return Record{}, fmt.Errorf("data after the record")
	}
	rec := Record{Inputs: in.Inputs, Order: in.Order.order()}
	if rec.Order.ID == "" {
		return Record{}, fmt.Errorf("order: no id")
	}
	var last time.Time
	for i, in := range rec.Inputs {
		if (in.Command == nil) == !in.Advance {
			return Record{}, fmt.Errorf("order %s: input %d: give a command or \"advance\": true", rec.Order.ID, i+1)
		}
		if in.At.IsZero() {
			return Record{}, fmt.Errorf("order %s: input %d: no time", rec.Order.ID, i+1)
		}
		if in.At.Before(last) {
			return Record{}, fmt.Errorf("order %s: input %d: time goes back", rec.Order.ID, i+1)
		}
		last = in.At
	}
	return rec, nil
}

// Writer writes records as JSON Lines.
type Writer struct {
	w   *bufio.Writer
	buf bytes.Buffer
}

// NewWriter returns a Writer to w; call Flush at the end.
func NewWriter(w io.Writer) *Writer { return &Writer{w: bufio.NewWriterSize(w, 256<<10)} }

// Write writes one record as a line.
func (w *Writer) Write(rec *Record) error {
	w.buf.Reset()
	enc := json.NewEncoder(&w.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(recordJSON{Order: facts(&rec.Order), Inputs: rec.Inputs}); err != nil {
		return err
	}
	_, err := w.w.Write(w.buf.Bytes())
	return err
}

// Flush writes what is buffered.
func (w *Writer) Flush() error { return w.w.Flush() }

// recordJSON writes the order's facts only, as the fields of Order's JSON.
type recordJSON struct {
	Order  orderFacts `json:"order"`
	Inputs []Input    `json:"inputs"`
}

type orderFacts struct {
	ID          string             `json:"id"`
	Buyer       string             `json:"buyer,omitzero"`
	Amount      aftersale.Money    `json:"amount"`
	PaidAt      time.Time          `json:"paid_at"`
	ShippedAt   time.Time          `json:"shipped_at,omitzero"`
	DeliveredAt time.Time          `json:"delivered_at,omitzero"`
	Category    aftersale.Category `json:"category,omitzero"`
	Flags       aftersale.Flags    `json:"flags,omitzero"`
	Tags        aftersale.Tags     `json:"tags,omitzero"`
	Lines       []aftersale.Line   `json:"lines,omitempty"`
}

func facts(o *aftersale.Order) orderFacts {
	return orderFacts{o.ID, o.Buyer, o.Amount, o.PaidAt, o.ShippedAt, o.DeliveredAt, o.Category, o.Flags, o.Tags, o.Lines}
}

// order returns an order with these facts and no cases.
func (f orderFacts) order() aftersale.Order {
	return aftersale.Order{ID: f.ID, Buyer: f.Buyer, Amount: f.Amount, PaidAt: f.PaidAt,
		ShippedAt: f.ShippedAt, DeliveredAt: f.DeliveredAt, Category: f.Category,
		Flags: f.Flags, Tags: f.Tags, Lines: f.Lines}
}

// fresh returns a new order with o's facts and no cases.
func fresh(o *aftersale.Order) *aftersale.Order {
	f := facts(o).order()
	return &f
}
