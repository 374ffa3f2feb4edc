package timeline

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"48h", 48 * time.Hour},
		{"10d", 240 * time.Hour},
		{"0d", 0},
		{"1h30m", 90 * time.Minute},
		{"5h59m", 5*time.Hour + 59*time.Minute},
	} {
		got, err := ParseDuration(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if back, err := ParseDuration(FormatDuration(got)); err != nil || back != got {
			t.Errorf("FormatDuration(%v) = %q does not parse back", got, FormatDuration(got))
		}
	}
	for _, bad := range []string{"", "d", "-1d", "+1d", "1.5d", "ten days", "-5h", "1y", "99999999d", "-0d", "+5h", "+0s"} {
		if got, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", bad, got)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		48 * time.Hour: "2d",
		6 * time.Hour:  "6h0m0s",
		0:              "0s",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
