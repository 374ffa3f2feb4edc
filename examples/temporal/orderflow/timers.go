package orderflow

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// timers are the workflow's pending wake-up timers. A command usually moves
// the next deadline, and cancelling a timer to start another costs the
// server more than letting it fire: so a timer is never cancelled. A new
// one is started only when the order must wake before every pending timer
// fires; one that fires before the order's deadline wakes it for nothing,
// and the workflow sleeps on. So the order wakes at each deadline, and at
// most once more for each deadline that moved.
type timers struct {
	pending []pendingTimer // in the order they were started
}

type pendingTimer struct {
	at     time.Time
	future workflow.Future
}

// arm makes sure a timer fires at wake or before.
func (t *timers) arm(ctx workflow.Context, now, wake time.Time, summary string) {
	for _, p := range t.pending {
		if !p.at.After(wake) {
			return
		}
	}
	f := workflow.NewTimerWithOptions(ctx, wake.Sub(now), workflow.TimerOptions{Summary: summary})
	t.pending = append(t.pending, pendingTimer{at: wake, future: f})
}

// fired reports whether a pending timer has fired.
func (t *timers) fired() bool {
	for _, p := range t.pending {
		if p.future.IsReady() {
			return true
		}
	}
	return false
}

// collect drops the timers that fired; a timer cancelled with the
// workflow is its error.
func (t *timers) collect(ctx workflow.Context) error {
	kept := t.pending[:0]
	for _, p := range t.pending {
		if !p.future.IsReady() {
			kept = append(kept, p)
			continue
		}
		if err := p.future.Get(ctx, nil); err != nil {
			return err
		}
	}
	t.pending = kept
	return nil
}
