package integration

import (
	"context"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"
)

// history reads a workflow run's whole history from the server.
func history(t testing.TB, ctx context.Context, c client.Client, id, runID string) []*historypb.HistoryEvent {
	t.Helper()
	var events []*historypb.HistoryEvent
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, ev)
	}
	return events
}

// eventsText is a history as text, one event in JSON a line, for a diff.
func eventsText(t testing.TB, events []*historypb.HistoryEvent) []string {
	t.Helper()
	out := make([]string, len(events))
	for i, ev := range events {
		b, err := protojson.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(b)
	}
	return out
}

// runs reads the histories of a workflow's runs, from the run given
// through every run it continued as new into.
func runs(t testing.TB, ctx context.Context, c client.Client, id, runID string) [][]*historypb.HistoryEvent {
	t.Helper()
	var out [][]*historypb.HistoryEvent
	for runID != "" {
		events := history(t, ctx, c, id, runID)
		out = append(out, events)
		runID = ""
		if last := events[len(events)-1]; last.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW {
			runID = last.GetWorkflowExecutionContinuedAsNewEventAttributes().GetNewExecutionRunId()
		}
	}
	return out
}

// scheduled counts the activities scheduled over histories, by activity
// ID: the workflow schedules one per event whose effects it delivers,
// under the event's ID.
func scheduled(histories [][]*historypb.HistoryEvent) map[string]int {
	n := map[string]int{}
	for _, events := range histories {
		for _, ev := range events {
			if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil {
				n[a.GetActivityId()]++
			}
		}
	}
	return n
}
