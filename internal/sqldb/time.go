package sqldb

import "time"

// TimeLayout is how rxintake's tables hold a time: UTC, fixed width, so that
// the text sorts as the times do and parses back exactly. (The audit trail
// keeps RFC 3339 in its entries: that text is part of each entry's hash.)
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// FormatTime writes t in TimeLayout; the zero time is "".
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeLayout)
}

// ParseTime reads a time written by FormatTime; "" or anything else that
// does not parse is the zero time.
func ParseTime(s string) time.Time {
	t, err := time.Parse(TimeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
