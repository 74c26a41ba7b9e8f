package review

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"rxintake/casefile"
	"rxintake/internal/sqldb"
	"rxintake/validate"
)

// What the page shows comes from the case store (cases and their records)
// and the notifier (the correction requests); the page holds no table of
// its own.

// caseRow is a line of the case list.
type caseRow struct {
	ID               string
	Status           casefile.Status
	Received         time.Time
	Patient, Office  string
	Sender           string
	Errors, Warnings int
}

// listFilter is the case list's query string.
type listFilter struct {
	Status              casefile.Status
	From, To, Office, Q string
	Page                int
}

const pageSize = 50

// listCases returns a page of cases, newest first, and whether there are more.
func (s *Server) listCases(ctx context.Context, f listFilter) ([]caseRow, bool, error) {
	list, more, err := s.store.List(ctx, casefile.Filter{Status: f.Status, From: f.From, To: f.To, Office: f.Office,
		Patient: f.Q, Offset: f.Page * pageSize, Limit: pageSize})
	if err != nil {
		return nil, false, fmt.Errorf("review: list cases: %w", err)
	}
	out := make([]caseRow, 0, len(list))
	for _, l := range list {
		c := caseRow{ID: l.ID, Status: l.Status, Received: l.Created, Sender: firstNonEmpty(l.SenderAddress, formatFax(l.SenderFax))}
		if rec := l.Record; rec != nil {
			if rx := rec.Prescription; rx != nil && rx.Patient != nil {
				c.Patient = rx.Patient.Name
			}
			c.Office = rec.Office
			if rec.Sender != nil && c.Sender == "" {
				c.Sender = firstNonEmpty(rec.Sender.Name, rec.Sender.Email, formatFax(rec.Sender.Fax))
			}
			for _, f := range rec.Findings {
				if f.Severity == validate.Error {
					c.Errors++
				} else {
					c.Warnings++
				}
			}
		}
		out = append(out, c)
	}
	return out, more, nil
}

type statusCount struct {
	Status casefile.Status
	N      int
}

// statusCounts counts the cases of each status, the usual ones first.
func (s *Server) statusCounts(ctx context.Context) ([]statusCount, int, error) {
	n, err := s.store.Counts(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("review: count cases: %w", err)
	}
	total := 0
	for _, c := range n {
		total += c
	}
	var out []statusCount
	for _, st := range knownStatuses {
		out = append(out, statusCount{st, n[st]})
		delete(n, st)
	}
	var rest []casefile.Status
	for st := range n {
		rest = append(rest, st)
	}
	slices.Sort(rest)
	for _, st := range rest {
		out = append(out, statusCount{st, n[st]})
	}
	return out, total, nil
}

// knownStatuses are always offered in the filter, in this order.
var knownStatuses = []casefile.Status{casefile.StatusNeedsReview, casefile.StatusNeedsCorrection,
	casefile.StatusComplete, casefile.StatusOpen, casefile.StatusNotPrescription}

// officeNames lists the offices cases belong to, for the filter.
func (s *Server) officeNames(ctx context.Context) ([]string, error) {
	names, err := s.store.Offices(ctx)
	if err != nil {
		return nil, fmt.Errorf("review: offices: %w", err)
	}
	return names, nil
}

// saveCase stores rec with status as the case's record and status, in one
// transaction; why names the action (accepted, dismissed, edited).
func (s *Server) saveCase(ctx context.Context, rec *casefile.Record, status casefile.Status, why string) error {
	if err := s.store.Settle(ctx, rec, status, "review: "+why); err != nil {
		return fmt.Errorf("review: save case %s: %w", rec.CaseID, err)
	}
	return nil
}

// outboxView is the correction requests of a case, column by column as
// the outbox holds them.
type outboxView struct {
	Rows [][]outboxCell
}

type outboxCell struct {
	Column, Value string
	Long          bool // shown as a block of text (an email body)
}

// outbox reads the correction requests of a case, or nil when there is no
// notifier.
func (s *Server) outbox(ctx context.Context, caseID string) (*outboxView, error) {
	if s.notifier == nil {
		return nil, nil
	}
	emails, err := s.notifier.Requests(ctx, caseID)
	if err != nil {
		return nil, fmt.Errorf("review: outbox: %w", err)
	}
	v := &outboxView{}
	list := func(l []string) string {
		if l == nil {
			l = []string{}
		}
		b, _ := json.Marshal(l)
		return string(b)
	}
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	for _, e := range emails {
		var row []outboxCell
		for _, c := range [][2]string{
			{"case_id", e.CaseID}, {"n", strconv.Itoa(e.N)}, {"kind", e.Kind}, {"office", e.Office},
			{"rcpt", list(e.To)}, {"message_id", e.MessageID}, {"rules", list(e.Rules)}, {"state", e.State},
			{"attempts", strconv.Itoa(e.Attempts)}, {"next_attempt", sqldb.FormatTime(e.NextAttempt)},
			{"last_error", e.LastError}, {"uncertain", flag(e.Uncertain)}, {"resends", strconv.Itoa(e.Resends)},
			{"first_try", sqldb.FormatTime(e.FirstTry)}, {"sent_at", sqldb.FormatTime(e.SentAt)},
			{"created", sqldb.FormatTime(e.Created)}, {"updated", sqldb.FormatTime(e.Updated)},
		} {
			text := c[1]
			if len(text) > 20000 {
				text = text[:20000] + " …"
			}
			row = append(row, outboxCell{Column: c[0], Value: text, Long: len(text) > 80 || strings.Contains(text, "\n")})
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// formatFax writes a 10-digit number as 941-555-0143.
func formatFax(s string) string {
	if len(s) == 10 {
		return s[:3] + "-" + s[3:6] + "-" + s[6:]
	}
	return s
}
