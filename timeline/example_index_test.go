package timeline_test

import (
	"fmt"
	"time"

	"github.com/shouhou/shouhou/timeline"
)

func ExampleIndex() {
	zone := timeline.UTC8()
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, zone) }

	// The host records each open case's next deadline.
	deadlines := timeline.NewIndex(3)
	deadlines.Set("case-1", at(3, 10)) // the seller must answer
	deadlines.Set("case-2", at(2, 18))
	deadlines.Set("case-3", at(9, 0))
	deadlines.Set("case-1", at(2, 18)) // moved: same time as case-2, set later

	key, due, _ := deadlines.Next()
	fmt.Println("next:", key, due.In(zone).Format("01-02 15:04"))

	// The clock moves to the evening of 2 March: handle what fell due.
	now := at(2, 18)
	n := deadlines.PopDue(now, func(key string, due time.Time) bool {
		fmt.Println("due:", key, due.In(zone).Format("01-02 15:04"))
		return true
	})
	fmt.Println(n, "due,", deadlines.Len(), "left")
	// Output:
	// next: case-2 03-02 18:00
	// due: case-2 03-02 18:00
	// due: case-1 03-02 18:00
	// 2 due, 1 left
}
