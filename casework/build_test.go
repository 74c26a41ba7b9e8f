package casework

import (
	"testing"
	"time"

	"rxintake/casefile"
	"rxintake/extract"
	"rxintake/validate"
)

// TestBuildSender: the transmit headers' number is the sender's fax
// number; the notification's stands in when no header gives one.
func TestBuildSender(t *testing.T) {
	received := time.Date(2026, 11, 20, 15, 4, 0, 0, time.UTC)
	doc := &extract.Document{File: "fax.pdf", Body: "Rx: myofascial release"}
	if r := Build(doc, Input{Profile: validate.DefaultProfile, Received: received, SenderFax: "9415550143"}); r.Sender == nil || r.Sender.Fax != "9415550143" {
		t.Errorf("without a transmit header: sender %+v, want the notification's 9415550143", r.Sender)
	}
	doc.FaxNumber = "9415550160"
	if r := Build(doc, Input{Profile: validate.DefaultProfile, Received: received, SenderFax: "9415550143"}); r.Sender == nil || r.Sender.Fax != "9415550160" {
		t.Errorf("with a transmit header: sender %+v, want the header's 9415550160", r.Sender)
	}
	if r := Build(&extract.Document{File: "x.txt"}, Input{Profile: validate.DefaultProfile, Received: received}); r.Sender != nil {
		t.Errorf("nothing known of the sender: %+v, want none", r.Sender)
	}
}

// TestAsOf: an email's Date header is the day a document was received;
// other documents take the day they came in. The record keeps the day, and
// RecordAsOf reads it back.
func TestAsOf(t *testing.T) {
	est := time.FixedZone("EST", -5*60*60)
	in := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name string
		doc  *extract.Document
		want string
	}{
		{"a file", &extract.Document{}, "2026-11-23"},
		{"an email", &extract.Document{Email: &extract.Email{Date: time.Date(2026, 11, 19, 21, 30, 0, 0, est)}}, "2026-11-20"},
		{"an email without a date", &extract.Document{Email: &extract.Email{}}, "2026-11-23"},
	} {
		got := AsOf(tt.doc, in)
		if got.Format(time.DateOnly) != tt.want || got.Location() != time.UTC || !got.Equal(got.Truncate(24*time.Hour)) {
			t.Errorf("%s: %v, want %s 00:00 UTC", tt.name, got, tt.want)
		}
		r := Build(tt.doc, Input{Profile: validate.DefaultProfile, Received: in})
		if r.AsOf != tt.want || !RecordAsOf(r, time.Time{}).Equal(got) {
			t.Errorf("%s: record as_of %q, read back %v, want %s", tt.name, r.AsOf, RecordAsOf(r, time.Time{}), tt.want)
		}
	}
	if got := RecordAsOf(&casefile.Record{}, in); got.Format(time.DateOnly) != "2026-11-23" {
		t.Errorf("a record without as_of: %v, want the day of now", got)
	}
}

// TestCheckError: when the rules cannot run, the document goes to review
// and the finding says why.
func TestCheckError(t *testing.T) {
	status, findings := Check(&extract.Document{}, nil, validate.DefaultProfile, validate.DefaultPolicy, time.Now())
	if status != casefile.StatusNeedsReview || len(findings) != 1 || findings[0].Rule != validate.RuleUnreadable || findings[0].Severity != validate.Error {
		t.Errorf("%s %+v, want needs-review with an unreadable error", status, findings)
	}
}
