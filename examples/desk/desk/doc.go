// Package desk is a merchant's after-sale desk over shouhou, as an
// http.Handler: the pages a merchant opens to see what is due, why, and
// what they may do about it.
//
//   - The queue (GET /): the open cases across orders, those waiting for
//     the merchant first, then by deadline, with a countdown, who must
//     act, the kind and state in Chinese with English beside, what the
//     system does if nobody acts, filters (waiting for me, due in 24 h,
//     kind, overdue alerts) and pages of 50.
//   - A case (GET /case/{order}/{case}): the order's facts, the timeline
//     of events with the policy and rule that decided each and its
//     message, what happens next and when (Case.Next), the effects, and a
//     form for each move Order.Allowed gives the merchant, with the
//     fields it needs. A form posts a Command; a refusal shows the
//     library's Chinese (Error.Zh) and English and changes nothing.
//   - The demo clock (POST /clock): +1 h or +1 d, and the deadlines that
//     fell due fire, as a host's sweeper would fire them.
//   - zh / en (GET /lang): Chinese first with English beside it, or the
//     other way round; a cookie keeps the choice.
//
// The templates, the style sheet and the script are embedded: nothing is
// fetched from a network and nothing is built. Every page works without
// the script, which only makes the countdowns tick.
//
// The desk keeps an index of the open cases in memory (Queue), read from
// the Store when it starts and updated each time it saves an order, so
// the queue never opens an order; a case page loads its order from the
// store. Package filestore is the default store; pgstore puts the
// PostgreSQL store of examples/postgres behind the same interface.
//
//	d, err := desk.New(ctx, desk.Config{Store: store, Clock: desk.NewClock(start, true)})
//	http.ListenAndServe("127.0.0.1:8080", d)
package desk
