// Package platform reads the after-sale records of four Chinese
// e-commerce platforms (Kuaishou 快手小店, Douyin 抖店, Taobao 淘宝 and
// Pinduoduo 拼多多) and carries their cases on in shouhou.
//
// A merchant tool (an ERP or OMS) gathers cases from several platforms and
// must answer, the same way for all, where a case stands, who must act and
// when the platform steps in. Each platform says where a case stands in
// codes of its own, often in several fields whose combination is the
// state: Kuaishou's status and negotiateStatus, Douyin's
// after_sale_status, after_sale_type, refund_status and arbitrate_status,
// Taobao's status, good_status and cs_status. This package maps every
// documented code, and every combination, to a shouhou kind, state and
// waiting party (a Placement), or says why a record is no case shouhou
// carries. A code a platform does not document is an error, never a guess.
//
// Reading a record and adopting its case, as of when it entered its state
// and carried on to now:
//
//	r, err := platform.Decode(platform.Douyin, data) // afterSale/Detail's data
//	if err != nil {
//		return err // errors.Is(err, aftersale.ErrInvalidInput)
//	}
//	p, _ := r.Place() // return_refund awaiting_return (waiting: buyer)
//	out, changes, err := platform.Adopt(engine, order, r, now, platform.Options{})
//	next := out.Case.Next() // the platform's deadline, and what happens then
//
// Adopt applies an import command (Import builds it) at the record's
// update time, then advances the order to now: the case opens in its
// mapped state with the platform's record kept in its first event, and
// from there the engine goes on as for any case: deadlines, allowed
// moves, effects. A case finished on the platform is not adopted: there
// is nothing to carry on (RuleFinished).
//
// Reverse and Statuses go the other way, from a shouhou case's kind and
// state to each platform's codes, for tools that write states back. They
// are read off the forward mapping, and are not one-to-one.
//
// Table lists every documented code with its meaning, the public source
// it comes from and what shouhou makes of it; the README's tables are
// generated from it.
package platform
