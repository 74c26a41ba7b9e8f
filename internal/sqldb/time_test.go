package sqldb

import (
	"testing"
	"time"
)

func TestTime(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 5, 3, 120, time.FixedZone("EST", -5*3600))
	s := FormatTime(at)
	if s != "2026-11-20T14:05:03.000000120Z" {
		t.Errorf("FormatTime = %q", s)
	}
	if got := ParseTime(s); !got.Equal(at) {
		t.Errorf("ParseTime(%q) = %v, want %v", s, got, at)
	}
	// Text order is time order, across a change of digit count.
	if a, b := FormatTime(at), FormatTime(at.Add(999*time.Millisecond)); a >= b {
		t.Errorf("%q sorts after %q", a, b)
	}
	if FormatTime(time.Time{}) != "" || !ParseTime("").IsZero() || !ParseTime("yesterday").IsZero() {
		t.Error("zero time is not \"\" both ways")
	}
}
