package aftersale

import (
	"slices"
	"strconv"
	"time"
)

// Order is one paid order: the facts the policies read, and the after-sale
// cases opened on it. The order is the unit a host loads, hands to the
// Engine and persists again, because some rules span its cases: refunds
// never add up to more than was paid, a line has at most one open case, and
// a new request can close an old rejected one.
//
// The exported fields are facts the host sets when it builds the Order.
// Change ShippedAt and DeliveredAt afterwards through ActionShipped and
// ActionDelivered, so that cases in interception follow the delivery. The
// cases are reached through methods; only the Engine changes them.
//
// The zero Order is not valid: an order needs an ID, an amount and a
// payment time. Its texts (ID, Buyer, the lines' ID and SKU) must be valid
// UTF-8 of at most MaxIDLen bytes, and its times in a zone whose offset
// from UTC is a whole minute. An Order is not safe for concurrent use; a host serialises
// the work on one order (most already lock the order row).
type Order struct {
	ID          string    `json:"id"`
	Buyer       string    `json:"buyer,omitzero"` // the buyer's ID, for policies that look at history
	Amount      Money     `json:"amount"`         // what the buyer paid for the whole order
	PaidAt      time.Time `json:"paid_at"`
	ShippedAt   time.Time `json:"shipped_at,omitzero"`   // zero until the merchant ships
	DeliveredAt time.Time `json:"delivered_at,omitzero"` // zero until the buyer signs for the goods
	Category    Category  `json:"category,omitzero"`
	Flags       Flags     `json:"flags,omitzero"`
	Tags        Tags      `json:"tags,omitzero"`
	// Lines are optional. When present, their Paid amounts add up to Amount.
	Lines []Line `json:"lines,omitempty"`

	cases        []*Case
	latest       moment // the latest event of any case
	version      int
	shippedKey   string // the idempotency key of the shipped fact, if it had one
	deliveredKey string // the same for delivered
}

// Line is one line of an order.
type Line struct {
	ID       string `json:"id"`
	SKU      string `json:"sku,omitzero"`
	Quantity int    `json:"quantity"`
	Paid     Money  `json:"paid"` // what the buyer paid for the whole line, after discounts
}

// Units names some units of one order line, for a request that covers part
// of an order.
type Units struct {
	Line     string `json:"line"`
	Quantity int    `json:"quantity"`
}

// Shipped reports whether the merchant has shipped the order.
func (o *Order) Shipped() bool { return !o.ShippedAt.IsZero() }

// Delivered reports whether the buyer has signed for the goods.
func (o *Order) Delivered() bool { return !o.DeliveredAt.IsZero() }

// Version counts the changes the Engine has made to the order: each event
// appended to a case, and each order fact recorded. Hosts use it for
// optimistic locking of the stored order.
func (o *Order) Version() int { return o.version }

// NumCases returns how many cases have been opened on the order.
func (o *Order) NumCases() int { return len(o.cases) }

// Cases returns the order's cases, oldest first, in a new slice.
func (o *Order) Cases() []*Case { return append([]*Case(nil), o.cases...) }

// Case returns the case with the given ID, or nil.
func (o *Order) Case(id string) *Case {
	for _, c := range o.cases {
		if c.id == id {
			return c
		}
	}
	return nil
}

// Refunded returns the money refunded so far over all cases.
func (o *Order) Refunded() Money {
	var sum Money
	for _, c := range o.cases {
		sum += c.Refunded()
	}
	return sum
}

// Compensated returns the compensation (such as return freight) decided
// so far over all cases; with a payer given, what that payer pays, such as
// the freight insurance, whose cap is per order.
func (o *Order) Compensated(by Payer) Money {
	var sum Money
	for _, c := range o.cases {
		sum += c.Compensated(by)
	}
	return sum
}

// Refundable returns what may still be asked for: the amount paid, less what was
// refunded and what open cases are asking for. The refund cap keeps every
// request, proposal and ruling within it, so refunds never add up to more
// than was paid.
func (o *Order) Refundable() Money { return o.leftExcept(nil) }

// leftExcept is Refundable, not counting what the case except asks for.
func (o *Order) leftExcept(except *Case) Money {
	left := o.Amount
	for _, c := range o.cases {
		left -= c.Refunded()
		if c != except && c.reserves() {
			left -= c.amount
		}
	}
	return left
}

// line returns the line with the given ID.
func (o *Order) line(id string) (Line, bool) {
	for _, l := range o.Lines {
		if l.ID == id {
			return l, true
		}
	}
	return Line{}, false
}

// unitsRefunded counts the units of a line that refunded cases covered.
func (o *Order) unitsRefunded(line string) int {
	n := 0
	for _, c := range o.cases {
		if c.state != StateRefunded {
			continue
		}
		for _, u := range c.lines {
			if u.Line == line {
				n += u.Quantity
			}
		}
	}
	return n
}

// last returns the time of the order's latest event or fact: nothing done
// to the order may be stamped earlier.
func (o *Order) last() time.Time {
	t := o.PaidAt
	if o.ShippedAt.After(t) {
		t = o.ShippedAt
	}
	if o.DeliveredAt.After(t) {
		t = o.DeliveredAt
	}
	if momentOf(t) < o.latest {
		t = o.latest.time(t.Location())
	}
	return t
}

// record appends an event the engine decided to a case of the order, puts
// its times in the case's zone, as the case gives them back, and counts it
// in the order's version and latest time. The engine stamps every event at
// or after the order's last one (checkTime, fire), so the case's log
// accepts it.
func (o *Order) record(c *Case, e *Event) {
	_ = c.commit(e)
	c.log.inZone(e)
	o.version++
	o.latest = max(o.latest, momentOf(e.At))
}

// Validate checks the order's facts and returns an ErrInvalidInput error
// naming the first problem.
func (o *Order) Validate() error {
	_, err := o.validate(checkedZones{})
	return err
}

// validate is Validate for the Engine, which also needs the bounds a
// command's time must respect (see checkTime). They are read here, where
// the facts' times are read anyway, once per command. zones are the
// Engine's (zonesOf).
func (o *Order) validate(zones checkedZones) (bounds, error) {
	var b bounds
	paid, ok1 := eventTime(o.PaidAt)
	shipped, ok2 := eventTime(o.ShippedAt)
	delivered, ok3 := eventTime(o.DeliveredAt)
	b.paid = paid
	switch {
	case !ok1 || !ok2 || !ok3:
		return b, refuse(ErrInvalidInput, "time.out_of_range", "order "+o.ID+": paid_at, shipped_at or delivered_at is out of range (1970 to 2200)",
			"订单"+o.ID+"的付款、发货或签收时间超出可记录的范围（1970年至2200年）")
	case o.ID == "":
		return b, refuse(ErrInvalidInput, "order.id_required", "order: id is empty", "订单号为空")
	case !zones.wholeMinute(o.PaidAt):
		return b, zoneError("order "+o.ID+": paid_at", "订单"+o.ID+"的付款时间", o.PaidAt)
	case !o.ShippedAt.IsZero() && !zones.wholeMinute(o.ShippedAt):
		return b, zoneError("order "+o.ID+": shipped_at", "订单"+o.ID+"的发货时间", o.ShippedAt)
	case !o.DeliveredAt.IsZero() && !zones.wholeMinute(o.DeliveredAt):
		return b, zoneError("order "+o.ID+": delivered_at", "订单"+o.ID+"的签收时间", o.DeliveredAt)
	case o.Amount <= 0:
		return b, refuse(ErrInvalidInput, "order.bad_amount", "order "+o.ID+": amount must be above 0.00", "订单"+o.ID+"的实付金额须大于0.00元")
	case o.Amount > maxMoney:
		return b, refuse(ErrInvalidInput, "order.bad_amount", "order "+o.ID+": amount is too large", "订单"+o.ID+"的实付金额过大")
	case b.paid == 0:
		return b, refuse(ErrInvalidInput, "order.not_paid", "order "+o.ID+": paid_at is not set", "订单"+o.ID+"没有付款时间")
	case shipped != 0 && shipped < b.paid:
		return b, refuse(ErrInvalidInput, "order.facts_out_of_order", "order "+o.ID+": shipped before it was paid", "订单"+o.ID+"的发货时间早于付款时间")
	case delivered != 0 && shipped == 0:
		return b, refuse(ErrInvalidInput, "order.facts_out_of_order", "order "+o.ID+": delivered but never shipped", "订单"+o.ID+"未发货却已签收")
	case delivered != 0 && delivered < shipped:
		return b, refuse(ErrInvalidInput, "order.facts_out_of_order", "order "+o.ID+": delivered before it was shipped", "订单"+o.ID+"的签收时间早于发货时间")
	case o.Category > CategoryPeriodical:
		return b, refuse(ErrInvalidInput, "order.unknown_category", "order "+o.ID+": unknown category "+strconv.Itoa(int(o.Category)),
			"订单"+o.ID+"的商品类目未知（"+strconv.Itoa(int(o.Category))+"）")
	case !o.Flags.valid():
		return b, refuse(ErrInvalidInput, "order.unknown_flags", "order "+o.ID+": unknown flags", "订单"+o.ID+"含有未知的订单标记")
	case !o.Tags.valid():
		return b, refuse(ErrInvalidInput, "order.unknown_tags", "order "+o.ID+": unknown tags", "订单"+o.ID+"含有未知的商品标签")
	}
	if !textOK(o.ID, MaxIDLen) {
		return b, textError("order: id", "订单号", o.ID, MaxIDLen)
	}
	if !textOK(o.Buyer, MaxIDLen) {
		return b, textError("order "+o.ID+": buyer", "订单"+o.ID+"的买家", o.Buyer, MaxIDLen)
	}
	b.fact = max(b.paid, shipped, delivered)
	if len(o.Lines) == 0 {
		return b, nil
	}
	var sum Money
	for i, l := range o.Lines {
		switch {
		case l.ID == "":
			return b, refuse(ErrInvalidInput, "order.bad_line", "order "+o.ID+": line "+strconv.Itoa(i+1)+" has no id", "订单"+o.ID+"的第"+strconv.Itoa(i+1)+"个商品行没有编号")
		case l.Quantity < 1:
			return b, refuse(ErrInvalidInput, "order.bad_line", "order "+o.ID+": line "+l.ID+" has quantity "+strconv.Itoa(l.Quantity),
				"订单"+o.ID+"的商品行"+l.ID+"数量为"+strconv.Itoa(l.Quantity)+"，至少应为1")
		case l.Paid < 0 || l.Paid > maxMoney:
			return b, refuse(ErrInvalidInput, "order.bad_line", "order "+o.ID+": line "+l.ID+" has a bad paid amount", "订单"+o.ID+"的商品行"+l.ID+"实付金额有误")
		}
		if !textOK(l.ID, MaxIDLen) {
			return b, textError("order "+o.ID+": line "+strconv.Itoa(i+1)+": id", "订单"+o.ID+"第"+strconv.Itoa(i+1)+"个商品行的编号", l.ID, MaxIDLen)
		}
		if !textOK(l.SKU, MaxIDLen) {
			return b, textError("order "+o.ID+": line "+l.ID+": sku", "订单"+o.ID+"商品行"+l.ID+"的SKU", l.SKU, MaxIDLen)
		}
		for _, m := range o.Lines[:i] {
			if m.ID == l.ID {
				return b, refuse(ErrInvalidInput, "order.duplicate_line", "order "+o.ID+": line id "+l.ID+" appears twice", "订单"+o.ID+"的商品行编号"+l.ID+"重复")
			}
		}
		// Each Paid is at most maxMoney, and so is sum before it grows:
		// the addition cannot overflow, and a sum past maxMoney is not
		// an amount.
		if sum += l.Paid; sum > maxMoney {
			return b, refuse(ErrInvalidInput, "order.lines_sum", "order "+o.ID+": lines add up to more than any amount can be", "订单"+o.ID+"的商品行金额合计过大")
		}
	}
	if sum != o.Amount {
		return b, refuse(ErrInvalidInput, "order.lines_sum", "order "+o.ID+": lines add up to "+sum.String()+", not the amount paid "+o.Amount.String(),
			"订单"+o.ID+"的商品行合计"+yuan(sum)+"，与实付金额"+yuan(o.Amount)+"不符")
	}
	return b, nil
}

// bounds are the earliest time a command on an order may carry: not
// before the order was paid (paid), nor before its last fact (fact) or
// its last event (Order.latest).
type bounds struct {
	paid, fact moment
}

// value returns the value of n units of the line after the first done
// units are gone. The line's Paid is spread over its units in whole fen,
// the first units taking the leftover fen: 100.00 over 3 units is 33.34,
// 33.33, 33.33, so refunding every unit one by one adds up to exactly what
// was paid.
func (l Line) value(done, n int) Money {
	q := Money(l.Quantity)
	base, extra := l.Paid/q, int(l.Paid%q)
	v := base * Money(n)
	if hi := min(done+n, extra); hi > done {
		v += Money(hi - done)
	}
	return v
}

// Clone returns a deep copy of the order: its lines, its cases and their
// logs are its own, so what happens to one leaves the other as it was. A
// host tries a command on a copy (a workflow's update validator does), or
// keeps a decoded order to act on again without reading it back.
func (o *Order) Clone() *Order {
	c := *o
	c.Lines = slices.Clone(o.Lines)
	if o.cases != nil {
		c.cases = make([]*Case, len(o.cases))
		for i, x := range o.cases {
			c.cases[i] = x.clone()
		}
	}
	return &c
}

// clone returns a deep copy of the case. The zone it reads its times in
// is shared: a *time.Location does not change.
func (c *Case) clone() *Case {
	d := *c
	d.lines = slices.Clone(c.lines)
	d.log.entries = slices.Clone(c.log.entries)
	d.log.texts = slices.Clone(c.log.texts)
	d.log.decisions = slices.Clone(c.log.decisions)
	d.log.lines = slices.Clone(c.log.lines)
	return &d
}
