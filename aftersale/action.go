package aftersale

// Action is what happens to a case: a command someone sends, or what the
// system does when a deadline passes. The zero Action is "not set" and is
// refused as input.
type Action uint8

// The actions. The transition table (Transitions) says who may perform each
// one, from which states, and where it leads.
const (
	ActionRequest         Action = iota + 1 // 申请售后 (buyer)
	ActionApprove                           // 同意 (merchant; the system on a timeout)
	ActionReject                            // 拒绝 (merchant; a reason is required)
	ActionPropose                           // 协商 a smaller amount (merchant)
	ActionAccept                            // 接受协商 (buyer)
	ActionDecline                           // 拒绝协商 (buyer; the system on a timeout)
	ActionShipReturn                        // 寄回商品: carrier, waybill, freight paid (buyer)
	ActionReceiveReturn                     // 确认收货 of the returned goods (merchant; the system on a timeout)
	ActionReship                            // 换货发货: carrier, waybill (merchant)
	ActionConfirmReceipt                    // 确认收到换货 (buyer; the system on a timeout)
	ActionEscalate                          // 申请平台介入 (buyer or merchant)
	ActionSubmitEvidence                    // 提交凭证 (buyer or merchant)
	ActionRule                              // 平台判定 (platform)
	ActionRefundSucceeded                   // 退款成功: the payment system's report (system)
	ActionRefundFailed                      // 退款失败: the payment system's report (system)
	ActionRetryRefund                       // 重新退款 (platform or system)
	ActionWithdraw                          // 撤销申请 (buyer)
	ActionResolveOffline                    // 线下换/修 with the buyer's agreement (merchant)
	ActionShipped                           // 商家发货: an order fact (system)
	ActionDelivered                         // 买家签收: an order fact (system)
	ActionExpire                            // 超时关闭: a timeout that closes or converts the case (system)
	ActionSLABreached                       // 超时预警: a service-level deadline passed (system); changes no state
	ActionImport                            // 导入: a case in flight on a platform, adopted from its record (system)
)

// numActions is one more than the largest Action: the name table has a
// row for each.
const numActions = len(actionNames)

var actionNames = [...]names{
	ActionRequest:         {"request", "申请售后"},
	ActionApprove:         {"approve", "同意"},
	ActionReject:          {"reject", "拒绝"},
	ActionPropose:         {"propose", "协商退款金额"},
	ActionAccept:          {"accept", "接受协商"},
	ActionDecline:         {"decline", "拒绝协商"},
	ActionShipReturn:      {"ship_return", "寄回商品"},
	ActionReceiveReturn:   {"receive_return", "确认收到退货"},
	ActionReship:          {"reship", "商家寄出"},
	ActionConfirmReceipt:  {"confirm_receipt", "确认收货"},
	ActionEscalate:        {"escalate", "申请平台介入"},
	ActionSubmitEvidence:  {"submit_evidence", "提交凭证"},
	ActionRule:            {"rule", "平台判定"},
	ActionRefundSucceeded: {"refund_succeeded", "退款成功"},
	ActionRefundFailed:    {"refund_failed", "退款失败"},
	ActionRetryRefund:     {"retry_refund", "重新退款"},
	ActionWithdraw:        {"withdraw", "撤销申请"},
	ActionResolveOffline:  {"resolve_offline", "线下换/修"},
	ActionShipped:         {"shipped", "商家发货"},
	ActionDelivered:       {"delivered", "买家签收"},
	ActionExpire:          {"expire", "超时处理"},
	ActionSLABreached:     {"sla_breached", "时效预警"},
	ActionImport:          {"import", "导入"},
}

// String returns the text form, such as "ship_return".
func (a Action) String() string { return enumString(actionNames[:], a, "Action") }

// Label returns the Chinese label, such as "寄回商品".
func (a Action) Label() string { return enumLabel(actionNames[:], a) }

// MarshalText returns the text form; the zero Action is an error.
func (a Action) MarshalText() ([]byte, error) { return enumMarshal(actionNames[:], a, "Action") }

// UnmarshalText parses the text form.
func (a *Action) UnmarshalText(b []byte) error {
	return enumUnmarshal(actionNames[:], b, a, "action")
}

// IsCommand reports whether a party or the host may send the action as a
// command. ActionExpire and ActionSLABreached happen only when a deadline
// passes.
func (a Action) IsCommand() bool { return int(a) < numActions && commands[a] }

// commands says, by action, whether a command may carry it: an order fact,
// or an action some row of the table lets an actor send. It is read from
// the table once, as the table is fixed.
var commands = func() (out [numActions]bool) {
	for _, rows := range table {
		for _, r := range rows {
			if int(r.Action) < numActions { // one without a name fails TestTheTableUsesNamedValues
				out[r.Action] = out[r.Action] || r.By != 0
			}
		}
	}
	out[ActionShipped], out[ActionDelivered] = true, true
	return out
}()

// isFact reports whether the action records a fact about the order rather
// than acting on a case.
func (a Action) isFact() bool { return a == ActionShipped || a == ActionDelivered }

// opens reports whether the action opens a new case rather than acting on
// one: a request, or the import of a case in flight elsewhere.
func (a Action) opens() bool { return a == ActionRequest || a == ActionImport }

// Ruling is who the platform rules for. The zero Ruling is "not set".
type Ruling uint8

// The rulings.
const (
	RulingForBuyer    Ruling = iota + 1 // 支持买家
	RulingForMerchant                   // 支持商家
)

var rulingNames = [...]names{
	RulingForBuyer:    {"buyer", "支持买家"},
	RulingForMerchant: {"merchant", "支持商家"},
}

// String returns the text form: "buyer" or "merchant".
func (r Ruling) String() string { return enumString(rulingNames[:], r, "Ruling") }

// Label returns the Chinese label.
func (r Ruling) Label() string { return enumLabel(rulingNames[:], r) }

// MarshalText returns the text form; the zero Ruling is an error.
func (r Ruling) MarshalText() ([]byte, error) { return enumMarshal(rulingNames[:], r, "Ruling") }

// UnmarshalText parses the text form.
func (r *Ruling) UnmarshalText(b []byte) error {
	return enumUnmarshal(rulingNames[:], b, r, "ruling")
}

// Payer is who pays a compensation line, such as the return-freight
// subsidy. The zero Payer is "not set".
type Payer uint8

// The payers.
const (
	PayerMerchant  Payer = iota + 1 // 商家
	PayerInsurance                  // 运费险
	PayerPlatform                   // 平台
)

var payerNames = [...]names{
	PayerMerchant:  {"merchant", "商家"},
	PayerInsurance: {"insurance", "运费险"},
	PayerPlatform:  {"platform", "平台"},
}

// String returns the text form, such as "insurance".
func (p Payer) String() string { return enumString(payerNames[:], p, "Payer") }

// Label returns the Chinese label.
func (p Payer) Label() string { return enumLabel(payerNames[:], p) }

// MarshalText returns the text form; the zero Payer is an error.
func (p Payer) MarshalText() ([]byte, error) { return enumMarshal(payerNames[:], p, "Payer") }

// UnmarshalText parses the text form.
func (p *Payer) UnmarshalText(b []byte) error { return enumUnmarshal(payerNames[:], b, p, "payer") }
