// Package orderflow runs each order's after-sale cases as a Temporal
// workflow: the workflow ID is the order ID, and the workflow holds the
// shouhou aftersale.Order for as long as the order can have cases.
//
// # Commands are updates
//
// A command (aftersale.Command, in its JSON form) is the Temporal update
// UpdateCommand. Its validator runs the engine on a copy of the order, at
// the workflow's time: a command the engine refuses is rejected before it
// reaches the history, so "a refused command changes nothing" holds end to
// end, and the caller gets the engine's *aftersale.Error back (Refusal).
// The handler then applies the command at the same time (workflow.Now) and
// returns an Outcome. Order facts, shipped and delivered, come the same way.
//
// # Deadlines are timers
//
// Between commands the workflow sleeps on a durable timer until the order's
// next deadline (Order.Next) and then advances the order, which fires every
// deadline due by then, earliest first, however many cascade. A worker that
// was down for a week fires them all when it comes back, each at its own
// time.
//
// # Effects are activities
//
// The effects the engine calls for with one event (a refund to the payment
// system, notifications, alerts) go out in one activity, ActivityDeliver,
// retried by Temporal until it succeeds; the payment system gets the
// effect's payment key. By default it runs as a local activity, within the
// workflow task that recorded the event, so the update returns once its
// effects went out and costs the server no task more; Input.RemoteDelivery
// runs it as an ordinary activity, for receivers that may be slow. The
// workflow keeps an aftersale.Delivered watermark, so it delivers each
// event's effects once, across Continue-As-New too; a delivery cut by a
// dying worker or a failing receiver is tried again whole, and receivers
// drop a key or ID they have seen (Payments, Messages).
//
// # Queries, long histories, determinism
//
// Queries answer a merchant tool: QueryOrder, QueryCases (each case's state
// and who must act), QueryAllowed, QueryNext and QueryOutbox. Past
// Input.ContinueAfter history events the workflow continues as new with the
// order's JSON and the watermark. The workflow reads time only from
// workflow.Now and ranges over no map; the engine is deterministic too. The
// package's replay test replays histories recorded on a real server, so a
// change that would break running workflows fails it.
//
// # Use
//
// A worker registers the workflow and the activities:
//
//	flow, err := orderflow.New(aftersale.Config{Rules: policy.Default()}, orderflow.Options{})
//	w := worker.New(temporalClient, orderflow.DefaultTaskQueue, worker.Options{})
//	flow.Register(w)
//	w.RegisterActivity(&orderflow.Activities{Payments: payments, Messages: messages})
//	err = w.Run(worker.InterruptCh())
//
// and a service sends commands through a Client:
//
//	orders := orderflow.Client{Temporal: temporalClient, TaskQueue: orderflow.DefaultTaskQueue}
//	_, err := orders.Start(ctx, orderflow.Input{Order: order})
//	out, err := orders.Send(ctx, order.ID, aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer,
//		Action: aftersale.ActionRequest, Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonMistakenPurchase})
//	if r, ok := orderflow.Refusal(err); ok {
//		show(r.Zh) // refused; nothing was recorded
//	}
package orderflow
