// Package whatif replays a month of recorded orders under two rule sets
// and reports the difference: "what if the rules change?".
//
// # Input
//
// The orders come as JSON Lines, one recorded order a line: the order's
// facts (aftersale.Order's JSON, without cases) and the inputs it received,
// in order, each a command (aftersale.Command's JSON) or a deadline sweep:
//
//	{"order": {"id": "o-1", "amount": "199.00", "paid_at": "2026-11-01T10:00:00+08:00", ...},
//	 "inputs": [{"at": "2026-11-04T09:00:00+08:00", "command": {"actor": "buyer", "action": "request", ...}},
//	            {"at": "2026-11-06T09:00:00+08:00", "advance": true}]}
//
// A line may also be an order in shouhou's stored form: Recover reads its
// inputs back from its events. A Reader streams them, a line at a time;
// Writer writes them. Generator
// makes a synthetic month of them, deterministically from a seed.
//
// # Replay
//
// A Comparer holds two Engines, before and after. For each order it applies
// every input under both, in order (ApplyAt for a command, AdvanceTo for an
// advance), then brings both to the end of the period, so the deadlines due
// by then fire. An input one side accepts and the other refuses (a merchant
// approving a case the new rules approved at once: not_permitted) makes the
// order diverge: its replay stops there, for what a person would have done
// instead is not in the record, and it is counted on neither side but
// listed with its reason. An input both refuse is skipped and counted.
//
// # Report
//
// For each side, over the same orders: cases by end state, eligible and
// denied requests, automatic approvals (a request an Approver approved at
// once), timeouts by the party waited on, SLA alerts by promise, refunds
// (cases and money), compensation by payer, and the decisions recorded by
// rule id (the text lists those that changed); each with the delta, after
// minus before, and up to three example order IDs. Run reads the orders
// with a pool of workers and adds the results in input order, so the
// report is the same for any number of workers.
//
//	c, err := whatif.New(policy.Default(), after, end)
//	rep, err := c.Run(whatif.NewReader(file), whatif.Options{})
//	rep.WriteText(os.Stdout) // or WriteJSON
//
// Rule sets are read with scenario.ParseRules, the form of a scenario
// file's "policy": {"freight_subsidy": {"cap": "30.00"}}.
package whatif
