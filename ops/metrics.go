package ops

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Sources are the counts the metrics read from the database at each
// scrape, so that they hold across restarts and count the work of every
// process on the same data_dir. Each may be nil.
type Sources struct {
	// Messages counts the messages decided, by outcome
	// (intake.Ledger.Outcomes).
	Messages func(ctx context.Context) (map[string]int, error)
	// Documents counts the cases by status (casefile.Store.Counts).
	Documents func(ctx context.Context) (map[string]int, error)
	// Corrections counts the correction emails by state, and those
	// deferred (notify.Notifier.Outbox).
	Corrections func(ctx context.Context) (map[string]int, int, error)
	// AuditEntries is the number of audit entries written
	// (audit.Trail.Written).
	AuditEntries func(ctx context.Context) (int64, error)
}

// Metrics is rxintake's Prometheus registry (docs/operations.md lists the
// metrics). No label carries patient information: outcomes, statuses,
// states and check names only.
type Metrics struct {
	reg     *prometheus.Registry
	ocrPage prometheus.Histogram
	cycle   prometheus.Histogram
	cycles  *prometheus.CounterVec
}

func newMetrics(m *Monitor, src Sources) *Metrics {
	x := &Metrics{reg: prometheus.NewRegistry()}
	x.ocrPage = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "rxintake_ocr_page_seconds",
		Help:    "Time to read one page with Tesseract, from request to answer.",
		Buckets: []float64{0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60},
	})
	x.cycle = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "rxintake_cycle_duration_seconds",
		Help:    "Duration of an intake cycle, from the audit check to the end of its follow-up.",
		Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600},
	})
	x.cycles = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rxintake_cycles_total",
		Help: "Intake cycles run by this process, by outcome (ok or failed).",
	}, []string{"outcome"})
	x.cycles.WithLabelValues("ok")
	x.cycles.WithLabelValues("failed")
	x.reg.MustRegister(x.ocrPage, x.cycle, x.cycles, &collector{m: m, src: src},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return x
}

// ObserveOCRPage records the time one page took to read (extract's
// OCROptions.PageDone).
func (m *Monitor) ObserveOCRPage(d time.Duration) { m.metrics.ocrPage.Observe(d.Seconds()) }

func (x *Metrics) cycleDone(r Result) {
	outcome := "ok"
	if r.Err != nil {
		outcome = "failed"
	}
	x.cycles.WithLabelValues(outcome).Inc()
	if r.Elapsed > 0 {
		x.cycle.Observe(r.Elapsed.Seconds())
	}
}

// MetricsHandler serves the metrics in Prometheus' text format.
func (m *Monitor) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(m.metrics.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// collector reads the database's counts and the health facts at each
// scrape.
type collector struct {
	m   *Monitor
	src Sources
}

var (
	descMessages = prometheus.NewDesc("rxintake_messages_total",
		"Messages taken from the mailbox and decided, by outcome.", []string{"outcome"}, nil)
	descDocuments = prometheus.NewDesc("rxintake_documents",
		"Cases (one per message taken in) by their present status.", []string{"status"}, nil)
	descCorrections = prometheus.NewDesc("rxintake_correction_emails_total",
		"Correction requests and reminders by result: sent, or failed for good.", []string{"result"}, nil)
	descDeferred = prometheus.NewDesc("rxintake_correction_emails_deferred",
		"Correction emails waiting for a later attempt or the next day's cap.", nil, nil)
	descQueued = prometheus.NewDesc("rxintake_correction_emails_queued",
		"Correction emails queued to be sent, deferred ones included.", nil, nil)
	descBacklog = prometheus.NewDesc("rxintake_unfinished_messages",
		"Messages taken from the mailbox and not yet filed (the queue depth).", nil, nil)
	descOldest = prometheus.NewDesc("rxintake_oldest_unprocessed_message_age_seconds",
		"Age of the oldest message taken in and not yet filed; 0 when there is none.", nil, nil)
	descAudit = prometheus.NewDesc("rxintake_audit_entries_total",
		"Audit trail entries written.", nil, nil)
	descCheck = prometheus.NewDesc("rxintake_check_ok",
		"1 when the dependency worked at its last try: mailbox, smtp, audit, disk, schedule.", []string{"check"}, nil)
	descDisk = prometheus.NewDesc("rxintake_data_dir_used_ratio",
		"How full the file system under data_dir is, 0 to 1.", nil, nil)
	descLastCycle = prometheus.NewDesc("rxintake_last_cycle_timestamp_seconds",
		"When the last intake cycle finished, in Unix time.", nil, nil)
	descAlerts = prometheus.NewDesc("rxintake_alert_active",
		"1 while an alert is raised and not over: mailbox, smtp, disk, audit.", []string{"alert"}, nil)
)

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descMessages, descDocuments, descCorrections, descDeferred, descQueued,
		descBacklog, descOldest, descAudit, descCheck, descDisk, descLastCycle, descAlerts} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	invalid := func(d *prometheus.Desc, err error) { ch <- prometheus.NewInvalidMetric(d, err) }
	if f := c.src.Messages; f != nil {
		if by, err := f(ctx); err != nil {
			invalid(descMessages, err)
		} else {
			for _, o := range []string{"complete", "needs-correction", "needs-review"} {
				ch <- prometheus.MustNewConstMetric(descMessages, prometheus.CounterValue, float64(by[o]), o)
			}
		}
	}
	if f := c.src.Documents; f != nil {
		if by, err := f(ctx); err != nil {
			invalid(descDocuments, err)
		} else {
			for s, n := range by {
				ch <- prometheus.MustNewConstMetric(descDocuments, prometheus.GaugeValue, float64(n), s)
			}
		}
	}
	if f := c.src.Corrections; f != nil {
		if by, deferred, err := f(ctx); err != nil {
			invalid(descCorrections, err)
		} else {
			ch <- prometheus.MustNewConstMetric(descCorrections, prometheus.CounterValue, float64(by["sent"]), "sent")
			ch <- prometheus.MustNewConstMetric(descCorrections, prometheus.CounterValue, float64(by["failed"]), "failed")
			ch <- prometheus.MustNewConstMetric(descDeferred, prometheus.GaugeValue, float64(deferred))
			ch <- prometheus.MustNewConstMetric(descQueued, prometheus.GaugeValue, float64(by["queued"]))
		}
	}
	if f := c.src.AuditEntries; f != nil {
		if n, err := f(ctx); err != nil {
			invalid(descAudit, err)
		} else {
			ch <- prometheus.MustNewConstMetric(descAudit, prometheus.CounterValue, float64(n))
		}
	}
	r := c.m.Report(ctx)
	if r.Queue.Error == "" && c.m.backlog != nil {
		ch <- prometheus.MustNewConstMetric(descBacklog, prometheus.GaugeValue, float64(r.Queue.Unfinished))
		age := 0.0
		if !r.Queue.Oldest.IsZero() {
			age = r.At.Sub(r.Queue.Oldest).Seconds()
		}
		ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, age)
	}
	s := r.State
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	checks := map[string]bool{
		"mailbox":  s.Mailbox.OK || s.Mailbox.At.IsZero(),
		"audit":    s.Audit.OK || s.Audit.At.IsZero(),
		"disk":     r.Disk.OK(),
		"schedule": !r.Overdue(),
	}
	if c.m.cfg.SMTP.Host != "" {
		checks["smtp"] = s.SMTP.OK || s.SMTP.At.IsZero()
	}
	for name, ok := range checks {
		ch <- prometheus.MustNewConstMetric(descCheck, prometheus.GaugeValue, b(ok), name)
	}
	if r.Disk.Error == "" {
		ch <- prometheus.MustNewConstMetric(descDisk, prometheus.GaugeValue, r.Disk.UsedPercent/100)
	}
	if !s.Cycle.Finished.IsZero() {
		ch <- prometheus.MustNewConstMetric(descLastCycle, prometheus.GaugeValue, float64(s.Cycle.Finished.UnixNano())/1e9)
	}
	for _, kind := range []string{AlertMailbox, AlertSMTP, AlertDisk, AlertAudit} {
		a := s.Alerts[kind]
		ch <- prometheus.MustNewConstMetric(descAlerts, prometheus.GaugeValue, b(a != nil && a.Cleared.IsZero()), kind)
	}
}
