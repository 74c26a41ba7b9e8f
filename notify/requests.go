package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Email is one email of a case's correction request as the outbox holds
// it: the request (N 1) or its reminder (N 2).
type Email struct {
	CaseID      string
	N           int
	Kind        string // request | reminder
	Office      string
	To          []string
	MessageID   string
	Rules       []string // the rule ids the email asks to correct
	State       string   // queued, sending, sent, failed, held or cancelled
	Attempts    int
	NextAttempt time.Time // zero: as soon as delivery runs
	LastError   string
	Uncertain   bool // an earlier attempt may have been accepted
	Resends     int
	FirstTry    time.Time
	SentAt      time.Time
	Created     time.Time
	Updated     time.Time
}

// Requests lists the emails of the correction request of a case, the
// request first; none when no request was queued for it.
func (n *Notifier) Requests(ctx context.Context, caseID string) ([]Email, error) {
	rows, err := n.db.QueryContext(ctx, `SELECT case_id, n, kind, office, rcpt, message_id, rules, state, attempts,
		next_attempt, last_error, uncertain, resends, first_try, sent_at, created, updated
		FROM notify_outbox WHERE case_id = ? ORDER BY n`, caseID)
	if err != nil {
		return nil, fmt.Errorf("notify: requests %s: %w", caseID, err)
	}
	defer rows.Close()
	var out []Email
	for rows.Next() {
		var e Email
		var rcpt, rules, next, first, sent, created, updated string
		if err := rows.Scan(&e.CaseID, &e.N, &e.Kind, &e.Office, &rcpt, &e.MessageID, &rules, &e.State, &e.Attempts,
			&next, &e.LastError, &e.Uncertain, &e.Resends, &first, &sent, &created, &updated); err != nil {
			return nil, fmt.Errorf("notify: requests %s: %w", caseID, err)
		}
		if err := json.Unmarshal([]byte(rcpt), &e.To); err != nil {
			return nil, fmt.Errorf("notify: requests %s: recipients: %w", caseID, err)
		}
		if err := json.Unmarshal([]byte(rules), &e.Rules); err != nil {
			return nil, fmt.Errorf("notify: requests %s: rules: %w", caseID, err)
		}
		e.NextAttempt, e.FirstTry, e.SentAt = parseStamp(next), parseStamp(first), parseStamp(sent)
		e.Created, e.Updated = parseStamp(created), parseStamp(updated)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("notify: requests %s: %w", caseID, err)
	}
	return out, nil
}

// Outbox counts the correction emails (requests and reminders) by state:
// queued, sending, sent, failed, held, cancelled. Deferred counts the
// queued ones that wait for a later attempt or for the next day's cap.
func (n *Notifier) Outbox(ctx context.Context) (byState map[string]int, deferred int, err error) {
	rows, err := n.db.QueryContext(ctx, `SELECT state, next_attempt <> '', COUNT(*) FROM notify_outbox GROUP BY state, next_attempt <> ''`)
	if err != nil {
		return nil, 0, fmt.Errorf("notify: outbox: %w", err)
	}
	defer rows.Close()
	byState = map[string]int{}
	for rows.Next() {
		var state string
		var later bool
		var c int
		if err := rows.Scan(&state, &later, &c); err != nil {
			return nil, 0, fmt.Errorf("notify: outbox: %w", err)
		}
		byState[state] += c
		if state == "queued" && later {
			deferred += c
		}
	}
	return byState, deferred, rows.Err()
}
