package temporaltest

import (
	"log/slog"
	"os"

	"go.temporal.io/sdk/log"
)

// QuietLogger is a logger for the SDK that writes warnings and errors
// only, so a test's output shows its own failures.
func QuietLogger() log.Logger {
	return log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
}
