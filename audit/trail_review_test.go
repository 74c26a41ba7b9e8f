package audit

import (
	"context"
	"errors"
	"testing"
)

func TestTrailReviewEvents(t *testing.T) {
	tr, _, _ := newTestTrail(t)
	tests := []struct {
		call                          func(context.Context) error
		actor, caseID, event, outcome string
		detail                        string
	}{
		{func(ctx context.Context) error {
			return tr.CaseEdited(ctx, "alice", "RX-1", Edit{Fields: []string{"frequency"}, From: "needs-review", To: "complete"})
		}, "user:alice", "RX-1", "case-edited", "complete", `{"fields":["frequency"],"from":"needs-review","to":"complete"}`},
		{func(ctx context.Context) error {
			return tr.CaseDismissed(ctx, "alice", "RX-1", "needs-review", "not-a-prescription")
		}, "user:alice", "RX-1", "case-dismissed", "not-a-prescription", `{"from":"needs-review"}`},
		{func(ctx context.Context) error {
			return tr.CorrectionRequested(ctx, "alice", "RX-1", "Gulf Coast Family Medicine", false)
		}, "user:alice", "RX-1", "correction-requested", "requested", `{"office":"Gulf Coast Family Medicine"}`},
		{func(ctx context.Context) error {
			return tr.OfficeAdded(ctx, "alice", "RX-1", OfficeEntry{Name: "Gulf Coast Family Medicine",
				Emails: []string{"rx@gulfcoastfm.example"}, Fax: []string{"9415550143"}})
		}, "user:alice", "RX-1", "office-added", "added",
			`{"name":"Gulf Coast Family Medicine","emails":["rx@gulfcoastfm.example"],"fax":["9415550143"],"npi":[]}`},
		{func(ctx context.Context) error {
			return tr.OfficeAdded(ctx, "alice", "RX-1", OfficeEntry{Name: "Gulf Coast Billing",
				Emails: []string{"rx@gulfbilling.example"}, NPI: []string{"1234567893"}, Warnings: []string{"domain-differs", "sender-address"}})
		}, "user:alice", "RX-1", "office-added", "added",
			`{"name":"Gulf Coast Billing","emails":["rx@gulfbilling.example"],"fax":[],"npi":["1234567893"],"warnings":["domain-differs","sender-address"]}`},
		{func(ctx context.Context) error {
			return tr.OfficeChanged(ctx, "alice", "RX-2", OfficeEntry{Name: "Harbor Street Clinic",
				Emails: []string{"billing@harbor.example"}, Fax: []string{"9415550199"}})
		}, "user:alice", "RX-2", "office-changed", "changed",
			`{"name":"Harbor Street Clinic","added_emails":["billing@harbor.example"],"added_fax":["9415550199"],"added_npi":[]}`},
		{func(ctx context.Context) error { return tr.TrailExported(ctx, "alice", "csv") },
			"user:alice", "", "trail-exported", "csv", `{}`},
		{func(ctx context.Context) error { return tr.UserSignedOut(ctx, "alice") },
			"user:alice", "", "user-signed-out", "ok", `{}`},
	}
	for _, tc := range tests {
		t.Run(tc.event, func(t *testing.T) {
			if err := tc.call(t.Context()); err != nil {
				t.Fatal(err)
			}
			got, err := tr.List(t.Context(), Filter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			e := got[0]
			if e.Actor != tc.actor || e.CaseID != tc.caseID || e.Event != tc.event || e.Outcome != tc.outcome || string(e.Detail) != tc.detail {
				t.Errorf("stored %q %q %q %q %s\nwant   %q %q %q %q %s", e.Actor, e.CaseID, e.Event, e.Outcome, e.Detail,
					tc.actor, tc.caseID, tc.event, tc.outcome, tc.detail)
			}
		})
	}
}

func TestTrailReviewEventsRefusePHI(t *testing.T) {
	tr, _, _ := newTestTrail(t)
	ctx := t.Context()
	for name, err := range map[string]error{
		"value as field":        tr.CaseEdited(ctx, "alice", "RX-1", Edit{Fields: []string{"2x/week for 6 weeks"}, From: "needs-review", To: "complete"}),
		"no field":              tr.CaseEdited(ctx, "alice", "RX-1", Edit{From: "needs-review", To: "complete"}),
		"free text as reason":   tr.CaseDismissed(ctx, "alice", "RX-1", "needs-review", "Mary Jones called, not an Rx"),
		"display name":          tr.OfficeAdded(ctx, "alice", "", OfficeEntry{Name: "Office", Emails: []string{"Mary Jones <mary@example.com>"}}),
		"patient phone":         tr.OfficeAdded(ctx, "alice", "", OfficeEntry{Name: "Office", Fax: []string{"call Mary 941"}}),
		"changed, display name": tr.OfficeChanged(ctx, "alice", "RX-1", OfficeEntry{Name: "Office", Emails: []string{"Mary Jones <mary@example.com>"}}),
		"changed, nothing":      tr.OfficeChanged(ctx, "alice", "RX-1", OfficeEntry{Name: "Office"}),
		"changed, no name":      tr.OfficeChanged(ctx, "alice", "RX-1", OfficeEntry{Emails: []string{"rx@office.example"}}),
		"warning as free text":  tr.OfficeAdded(ctx, "alice", "", OfficeEntry{Name: "Office", Emails: []string{"rx@office.example"}, Warnings: []string{"Mary Jones's office"}}),
		"format":                tr.TrailExported(ctx, "alice", "xlsx"),
		"user name with space":  tr.UserSignedOut(ctx, "Mary Jones"),
	} {
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if got, _ := tr.List(ctx, Filter{}); len(got) != 0 {
		t.Errorf("%d entries written, want none", len(got))
	}
}
