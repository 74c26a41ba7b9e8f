package ops

import (
	"encoding/json"
	"net/http"
	"time"
)

// health is the body of GET /healthz: the facts without the servers' error
// messages, which `rxintake status` prints.
type health struct {
	Status    string    `json:"status"` // ok | failing
	At        time.Time `json:"at"`
	LastCycle struct {
		Started  time.Time `json:"started,omitzero"`
		Finished time.Time `json:"finished,omitzero"`
		OK       bool      `json:"ok"`
		Seconds  float64   `json:"seconds"`
	} `json:"last_cycle"`
	NextCycleBy   time.Time `json:"next_cycle_by,omitzero"`
	Mailbox       probe     `json:"mailbox"`
	SMTP          *probe    `json:"smtp,omitempty"` // without smtp.host: none
	AuditWritable probe     `json:"audit_writable"`
	DiskUsed      float64   `json:"disk_used_percent"`
	DiskLimit     float64   `json:"disk_limit_percent"`
	QueueDepth    int       `json:"queue_depth"`
	OldestWaiting time.Time `json:"oldest_unfinished,omitzero"`
	Alerts        []string  `json:"alerts"`
	Problems      []string  `json:"problems"`
}

type probe struct {
	OK       bool      `json:"ok"`
	At       time.Time `json:"at,omitzero"`
	Failures int       `json:"failures,omitempty"`
}

func probeOf(c Check) probe { return probe{OK: c.OK, At: c.At, Failures: c.Failures} }

// HealthHandler serves GET /healthz: 200 when intake is healthy, 503 when
// not, with the facts as JSON. No sign-in, no patient information.
func (m *Monitor) HealthHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep := m.Report(r.Context())
		var h health
		h.Status, h.At = "ok", rep.At
		if !rep.Healthy {
			h.Status = "failing"
		}
		c := rep.State.Cycle
		h.LastCycle.Started, h.LastCycle.Finished, h.LastCycle.OK, h.LastCycle.Seconds = c.Started, c.Finished, c.OK, c.Seconds
		h.NextCycleBy = rep.NextCycleBy
		h.Mailbox = probeOf(rep.State.Mailbox)
		if m.cfg.SMTP.Host != "" {
			p := probeOf(rep.State.SMTP)
			h.SMTP = &p
		}
		h.AuditWritable = probeOf(rep.State.Audit)
		h.DiskUsed, h.DiskLimit = rep.Disk.UsedPercent, rep.Disk.LimitPercent
		h.QueueDepth, h.OldestWaiting = rep.Queue.Unfinished, rep.Queue.Oldest
		h.Alerts = m.Banner()
		if h.Alerts == nil {
			h.Alerts = []string{}
		}
		h.Problems = rep.Summary
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if rep.Healthy {
			w.WriteHeader(http.StatusOK)
		} else {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(h)
	})
}
