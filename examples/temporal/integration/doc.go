// Package integration holds the tests of the order workflow against a real
// Temporal server: the Temporal CLI's dev server, which TestMain starts on
// loopback ports of its own (see internal/temporaltest for where it finds
// the CLI). Without the CLI they skip, saying how to get it; with CI=true
// they fail.
//
//	go test ./integration
package integration
