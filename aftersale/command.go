package aftersale

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Command is one action a party sends: who does what to which case, with
// the arguments the action takes. Fields an action does not use must stay
// zero; a command carrying them is refused, so a misrouted argument is
// never silently dropped.
//
// Arguments by action:
//   - request: Kind and Reason; optionally Amount (default: the value of
//     Lines, or what is left of the order) and Lines (default: the whole
//     order). Case names the new case (default: "<order>-<n>").
//   - reject, resolve_offline, submit_evidence: Note (the reason, the
//     buyer's agreement, the evidence).
//   - propose: Amount, smaller than the case asks for.
//   - ship_return: Carrier and Waybill; optionally Freight (what the buyer
//     paid for the return parcel).
//   - reship: Carrier and Waybill.
//   - rule: Ruling; for the buyer optionally Amount (default: what the case
//     asks for) and ReturnGoods.
//   - shipped, delivered: facts about the order; no Case.
//   - import (by the system): a case in flight on a platform, adopted in
//     the state it stands in there (State), with the platform's record
//     as it came (Record, a JSON object), Kind and Reason; optionally
//     Due (the platform's own deadline for that state; default: the
//     state's own deadline, counted from the import), Amount and Lines
//     (as for a request), and Carrier, Waybill and Freight of a return
//     parcel the buyer already sent. Case names the new case. No policy
//     is asked: the platform accepted the case already. Apply it at the
//     time the record says the case entered its state, then AdvanceTo
//     now, so what fell due since then happens. See Transitions for the
//     states a case may be imported into.
//
// Note goes with any action but shipped and delivered, and Key with any
// action; Version with any action on an existing case. Key is an idempotency key: a
// command whose Key was already applied is not applied again, and the
// original event is returned. Version, if not zero, is the case version the
// sender saw; a case that moved on since is a conflict.
//
// Texts must be valid UTF-8 and no longer than their limits: MaxIDLen for
// Case, Key and the lines' ids, MaxCarrierLen, MaxWaybillLen and
// MaxNoteLen; others are ErrInvalidInput.
//
// In JSON a command is an object with a member for each field that is not
// zero, named as in scenario steps and Event's JSON (CommandFields lists
// them): enums by their text names, money as a string such as "299.00",
// lines as [{"line": "l1", "quantity": 1}].
//
//	{"actor":"buyer","action":"ship_return","case":"c1","carrier":"SF","waybill":"SF1302","freight":"25.00"}
//
// Decoding is strict: an unknown or repeated member, a wrong type, an
// unknown name, bad money or a member given its zero value is
// ErrInvalidInput naming the member (see UnmarshalJSON).
type Command struct {
	Case        string
	Actor       Actor
	Action      Action
	Kind        Kind
	Reason      Reason
	Amount      Money
	Lines       []Units
	Note        string
	Carrier     string
	Waybill     string
	Freight     Money
	Ruling      Ruling
	ReturnGoods bool
	State       State           // import: the state the case stands in on the platform
	Due         time.Time       // import: the platform's own deadline for that state
	Record      json.RawMessage // import: the platform's record of the case, a JSON object
	Key         string
	Version     int
}

// arg is one optional argument of a Command, as a bit in a set.
type arg uint16

const (
	argKind arg = 1 << iota
	argReason
	argAmount
	argLines
	argCarrier
	argWaybill
	argFreight
	argRuling
	argReturnGoods
	argNote
	argCase
	argVersion
	argState
	argDue
	argRecord
)

// argNamesZh are the arguments' Chinese names, by their names in argNames,
// for refusals.
var argNamesZh = map[string]string{
	"kind": "售后类型", "reason": "申请原因", "amount": "金额", "lines": "商品明细", "carrier": "物流公司", "waybill": "运单号",
	"freight": "退货运费", "ruling": "判定结果", "return_goods": "是否退回商品", "note": "说明", "case": "售后单号", "version": "版本号",
	"state": "售后状态", "due": "平台时限", "record": "平台记录",
}

// argRule says which arguments an action needs and which it may carry.
type argRule struct{ need, may arg }

// argRules lists the arguments of the actions that take any. Requests and
// actions on a case may also carry a Note; those on an existing case need
// Case and may carry Version.
var argRules = [numActions]argRule{
	ActionRequest:        {need: argKind | argReason, may: argAmount | argLines | argCase},
	ActionReject:         {need: argNote},
	ActionPropose:        {need: argAmount},
	ActionShipReturn:     {need: argCarrier | argWaybill, may: argFreight},
	ActionReship:         {need: argCarrier | argWaybill},
	ActionRule:           {need: argRuling, may: argAmount | argReturnGoods},
	ActionResolveOffline: {need: argNote},
	ActionSubmitEvidence: {need: argNote},
	ActionImport: {need: argKind | argReason | argState | argRecord,
		may: argAmount | argLines | argCase | argCarrier | argWaybill | argFreight | argDue},
}

// addressesCase reports whether the action is sent to an existing case,
// rather than opening one or stating an order fact.
func (a Action) addressesCase() bool { return !a.opens() && !a.isFact() }

// argsOf returns the arguments a command carrying a needs and may carry:
// its own (argRules), the case it addresses and the version seen, and a
// note for anything that appends an event.
func argsOf(a Action) argRule {
	rule := argRules[a]
	if a.addressesCase() {
		rule.need |= argCase
		rule.may |= argVersion
	}
	if !a.isFact() {
		rule.may |= argNote // facts about the order have no event to keep a note in
	}
	return rule
}

// args returns the set of arguments cmd carries.
func (cmd *Command) args() arg {
	return bit(cmd.Kind != 0, argKind) | bit(cmd.Reason != 0, argReason) | bit(cmd.Amount != 0, argAmount) |
		bit(len(cmd.Lines) != 0, argLines) | bit(cmd.Carrier != "", argCarrier) | bit(cmd.Waybill != "", argWaybill) |
		bit(cmd.Freight != 0, argFreight) | bit(cmd.Ruling != 0, argRuling) | bit(cmd.ReturnGoods, argReturnGoods) |
		bit(cmd.Note != "", argNote) | bit(cmd.Case != "", argCase) | bit(cmd.Version != 0, argVersion) |
		bit(cmd.State != 0, argState) | bit(!cmd.Due.IsZero(), argDue) | bit(len(cmd.Record) != 0, argRecord)
}

// bit returns b if present, else 0; it compiles to a branch-free select.
func bit(present bool, b arg) arg {
	if present {
		return b
	}
	return 0
}

// check refuses a command that is malformed whatever the case: unknown
// enums, negative money, missing or stray arguments. It returns
// ErrInvalidInput or, for an action no command may carry, ErrNotPermitted.
func (cmd *Command) check() error {
	switch {
	case cmd.Actor == 0:
		return refuse(ErrInvalidInput, "command.actor_required", "command: actor is required", "缺少操作人")
	case int(cmd.Actor) >= len(actorNames):
		return refuse(ErrInvalidInput, "command.unknown_actor", "command: unknown actor "+cmd.Actor.String(), "未知的操作人（"+strconv.Itoa(int(cmd.Actor))+"）")
	case cmd.Action == 0:
		return refuse(ErrInvalidInput, "command.action_required", "command: action is required", "缺少操作")
	case int(cmd.Action) >= numActions:
		return refuse(ErrInvalidInput, "command.unknown_action", "command: unknown action "+cmd.Action.String(), "未知的操作（"+strconv.Itoa(int(cmd.Action))+"）")
	}
	if !cmd.Action.IsCommand() {
		return refuse(ErrNotPermitted, "command.deadline_only", cmd.Action.String()+" happens only when a deadline passes; advance the clock instead",
			cmd.Action.Label()+"只在时限到期时由系统自动执行，不能作为操作发送")
	}
	rule := argsOf(cmd.Action)
	have := cmd.args()
	missing, stray := rule.need&^have, have&^(rule.need|rule.may)
	if missing != 0 || stray != 0 {
		return cmd.argError(rule, missing, stray)
	}
	switch {
	case cmd.Kind != 0 && int(cmd.Kind) >= len(kindNames):
		return refuse(ErrInvalidInput, "command.unknown_kind", "command: unknown kind "+cmd.Kind.String(), "未知的售后类型（"+strconv.Itoa(int(cmd.Kind))+"）")
	case cmd.Reason != 0 && int(cmd.Reason) >= len(reasonNames):
		return refuse(ErrInvalidInput, "command.unknown_reason", "command: unknown reason "+cmd.Reason.String(), "未知的申请原因（"+strconv.Itoa(int(cmd.Reason))+"）")
	case cmd.Ruling != 0 && int(cmd.Ruling) >= len(rulingNames):
		return refuse(ErrInvalidInput, "command.unknown_ruling", "command: unknown ruling "+cmd.Ruling.String(), "未知的判定结果（"+strconv.Itoa(int(cmd.Ruling))+"）")
	case cmd.Amount < 0 || cmd.Amount > maxMoney:
		return refuse(ErrInvalidInput, "money.out_of_range", "command: amount "+cmd.Amount.String()+" is out of range", "金额"+yuan(cmd.Amount)+"超出范围")
	case cmd.Freight < 0 || cmd.Freight > maxMoney:
		return refuse(ErrInvalidInput, "money.out_of_range", "command: freight "+cmd.Freight.String()+" is out of range", "退货运费"+yuan(cmd.Freight)+"超出范围")
	case cmd.Version < 0:
		return refuse(ErrInvalidInput, "command.negative_version", "command: negative version", "版本号不能为负数")
	case cmd.Ruling == RulingForMerchant && (cmd.Amount != 0 || cmd.ReturnGoods):
		return refuse(ErrInvalidInput, "command.stray_argument", "a ruling for the merchant takes no amount and no return of goods",
			"判定支持商家时，不能带金额或退回商品")
	}
	if err := cmd.checkTexts(); err != nil {
		return err
	}
	if cmd.Action == ActionImport {
		if err := cmd.checkImport(); err != nil {
			return err
		}
	}
	for i, u := range cmd.Lines {
		if u.Line == "" || u.Quantity < 1 {
			return refuse(ErrInvalidInput, "line.bad_units", "command: lines["+strconv.Itoa(i)+"] needs a line id and a quantity of at least 1",
				"商品明细第"+strconv.Itoa(i+1)+"项须有商品行编号，数量至少为1")
		}
		if !textOK(u.Line, MaxIDLen) {
			return textError("command: lines["+strconv.Itoa(i)+"].line", "商品明细第"+strconv.Itoa(i+1)+"项的商品行编号", u.Line, MaxIDLen)
		}
		for _, v := range cmd.Lines[:i] {
			if v.Line == u.Line {
				return refuse(ErrInvalidInput, "line.named_twice", "command: line "+u.Line+" is named twice", "商品行"+u.Line+"在明细中出现了两次")
			}
		}
	}
	return nil
}

// checkImport refuses an import whose state, deadline or record a case
// cannot hold, and puts the record in the form a case keeps it; which
// states a case may be imported into is the table's to say.
func (cmd *Command) checkImport() error {
	if _, ok := momentIn(cmd.Due); !ok || !wholeMinuteZone(cmd.Due) {
		return refuse(ErrInvalidInput, "import.bad_due", "command: due "+cmd.Due.Format(time.RFC3339)+" is not a deadline a case can hold",
			"平台时限"+zhTime(cmd.Due)+"超出范围")
	}
	if !enumValid(stateNames[:], cmd.State) {
		return refuse(ErrInvalidInput, "command.unknown_state", "command: unknown state "+cmd.State.String(), "未知的售后状态（"+strconv.Itoa(int(cmd.State))+"）")
	}
	b, err := canonicalRecord(cmd.Record)
	if err != nil {
		return err
	}
	cmd.Record = b // as the event will keep it, and a repeat is compared with it
	return nil
}

// canonicalRecord returns a platform record as a case keeps it: compact
// JSON, escaped as encoding/json writes it, so that it reads back from the
// stored form byte for byte. Anything but a JSON object of at most
// MaxRecordLen bytes is refused.
func canonicalRecord(raw json.RawMessage) (json.RawMessage, error) {
	b, err := json.Marshal(raw) // compacts and escapes, and refuses what is not JSON
	if err != nil || b[0] != '{' {
		return nil, refuse(ErrInvalidInput, "import.bad_record", "command: record must be a JSON object, the platform's record as it came",
			"平台记录须是一个JSON对象")
	}
	if len(b) > MaxRecordLen {
		return nil, refuse(ErrInvalidInput, "import.bad_record", "command: record is longer than "+strconv.Itoa(MaxRecordLen)+" bytes",
			"平台记录超过"+strconv.Itoa(MaxRecordLen)+"字节")
	}
	return b, nil
}

// checkTexts refuses texts that are too long or not UTF-8 (see MaxIDLen).
func (cmd *Command) checkTexts() error {
	switch {
	case !textOK(cmd.Case, MaxIDLen):
		return textError("command: case", "售后单号", cmd.Case, MaxIDLen)
	case !textOK(cmd.Key, MaxIDLen):
		return textError("command: key", "幂等键", cmd.Key, MaxIDLen)
	case !textOK(cmd.Carrier, MaxCarrierLen):
		return textError("command: carrier", "物流公司", cmd.Carrier, MaxCarrierLen)
	case !textOK(cmd.Waybill, MaxWaybillLen):
		return textError("command: waybill", "运单号", cmd.Waybill, MaxWaybillLen)
	case !textOK(cmd.Note, MaxNoteLen):
		return textError("command: note", "说明", cmd.Note, MaxNoteLen)
	}
	return nil
}

// argError refuses a command for its arguments, saying what its action
// takes where that is the fix: "reason does not go with reject (reject
// takes note)", "reject needs note (reason does not go with reject, which
// takes note)".
func (cmd *Command) argError(rule argRule, missing, stray arg) error {
	action, label := cmd.Action.String(), "“"+cmd.Action.Label()+"”"
	takes, takesZh := "none", "该操作不带参数"
	if own := (rule.need | rule.may) &^ (argCase | argVersion); own != 0 {
		takes, takesZh = strings.ReplaceAll(argList(own), " and ", ", "), "可带"+argListZh(own)
	}
	switch {
	case missing == 0:
		return refuse(ErrInvalidInput, "command.stray_argument", argList(stray)+" does not go with "+action+" ("+action+" takes "+takes+")",
			label+"不能带"+argListZh(stray)+"（"+takesZh+"）")
	case stray == 0:
		return refuse(ErrInvalidInput, "command.missing_argument", action+" needs "+argList(missing), label+"须填写"+argListZh(missing))
	}
	return refuse(ErrInvalidInput, "command.missing_argument", action+" needs "+argList(missing)+" ("+argList(stray)+" does not go with "+action+", which takes "+takes+")",
		label+"须填写"+argListZh(missing)+"，且不能带"+argListZh(stray)+"（"+takesZh+"）")
}

// argListZh lists the arguments of a by their Chinese names: "物流公司、运单号".
func argListZh(a arg) string {
	out := ""
	for i, n := range argNames {
		if a&(1<<i) != 0 {
			if out != "" {
				out += "、"
			}
			out += cmp.Or(argNamesZh[n], n)
		}
	}
	return out
}

func argList(a arg) string { return strings.Join(argNamesOf(a), " and ") }

// matches reports whether e is the event an earlier delivery of cmd
// appended: a repeat of the same command.
func (cmd *Command) matches(c *Case, e Event) bool {
	if e.Actor != cmd.Actor || e.Action != cmd.Action || e.Note != cmd.Note ||
		e.Carrier != cmd.Carrier || e.Waybill != cmd.Waybill || e.Freight != cmd.Freight ||
		e.Ruling != cmd.Ruling || e.ReturnGoods != cmd.ReturnGoods {
		return false
	}
	if cmd.Amount != 0 && cmd.Amount != e.Amount {
		return false
	}
	if cmd.Action.opens() {
		return (cmd.Case == "" || cmd.Case == c.id) && e.Kind == cmd.Kind && e.Reason == cmd.Reason && slices.Equal(c.lines, cmd.Lines) &&
			(cmd.Action != ActionImport || e.To == cmd.State && bytes.Equal(cmd.Record, e.Record))
	}
	return cmd.Case == c.id
}
