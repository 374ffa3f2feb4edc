package aftersale

// Move is an action a party may take on a case now, with what its command
// needs: what a merchant tool shows as buttons and forms.
type Move struct {
	Action Action `json:"action"`
	// Needs and May are the arguments the command must and may carry,
	// by their names in Command's JSON form ("note", "carrier", "waybill",
	// "amount", "ruling", ...). Every command on a case also carries the
	// case's ID and may carry the Version the sender saw.
	Needs []string `json:"needs,omitempty"`
	May   []string `json:"may,omitempty"`
	// MaxAmount is the most the command's amount may be: for propose, one
	// fen below what the case asks; for rule, what is left of the order
	// for the case. Zero for an action that takes no amount.
	MaxAmount Money `json:"max_amount,omitzero"`
	// Deadline is until when the move is open: the case's pending
	// deadline, when it passes the system acts or alerts.
	Deadline Deadline `json:"deadline,omitzero"`
}

// Allowed returns the moves the actor may make on the order's case of
// that ID now, in the order of the transition table; nil if there is no
// such case, it is over, or the actor has none. It reads the table the
// Engine applies, so a command for a listed move, with the arguments
// Needs names, is accepted, and one for any other action on the case is
// refused as not permitted. A move's arguments must still be right: an
// amount within MaxAmount, a ruling's return of goods only when the order
// was delivered.
//
// New cases are not moves on a case: a request is sent without a case ID
// (or with a new one), also on a rejected case's goods, which it then
// supersedes. Order facts (shipped, delivered) are not moves either.
func (o *Order) Allowed(caseID string, actor Actor) []Move {
	c := o.Case(caseID)
	if c == nil || !c.Open() {
		return nil
	}
	var moves []Move
	rows := rowsFrom(c.state)
	for i := range rows {
		r := &rows[i]
		if !r.By.Has(actor) || !r.Action.IsCommand() || !r.Action.addressesCase() || !r.Kinds.Has(c.kind) || !someCommandTakes(c, r) {
			continue
		}
		if m, ok := o.move(c, r.Action); ok && !listed(moves, r.Action) {
			moves = append(moves, m) // once for an action of many rows, such as a ruling's
		}
	}
	return moves
}

func listed(moves []Move, a Action) bool {
	for _, m := range moves {
		if m.Action == a {
			return true
		}
	}
	return false
}

// someCommandTakes reports whether some command of the row's action takes
// the row: its condition holds of the case, for the ruling it carries if
// the condition is about that.
func someCommandTakes(c *Case, r *Transition) bool {
	for _, f := range [...]facts{
		{c: c},
		{c: c, ruling: RulingForMerchant},
		{c: c, ruling: RulingForBuyer},
		{c: c, ruling: RulingForBuyer, returnGoods: true},
	} {
		if f.holds(r) {
			return true
		}
	}
	return false
}

// move returns the move of action a on c, and false if no command of it
// could be accepted: a proposal on a case that asks for a single fen.
func (o *Order) move(c *Case, a Action) (Move, bool) {
	own := argRules[a]
	m := Move{Action: a, Needs: argNamesOf(own.need), Deadline: c.Deadline()}
	may := argsOf(a).may &^ (argCase | argVersion)
	switch a {
	case ActionPropose:
		if c.amount <= 1 {
			return Move{}, false
		}
		m.MaxAmount = c.amount - 1
	case ActionRule:
		m.MaxAmount = o.leftExcept(c)
		if !o.Delivered() {
			may &^= argReturnGoods // the goods never came, so they cannot go back
		}
	}
	m.May = argNamesOf(may)
	return m, true
}

// argNamesOf returns the names of the arguments in the set, in the order
// of argNames.
func argNamesOf(a arg) []string {
	var out []string
	for i, n := range argNames {
		if a&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}
