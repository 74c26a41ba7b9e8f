package review

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/extract"
	"rxintake/validate"
)

//go:embed templates/*.html
var templateFS embed.FS

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"pct": func(f float64) string {
		if f <= 0 {
			return ""
		}
		return fmt.Sprintf("%.0f%%", f*100)
	},
	"low":    func(f float64) bool { return f > 0 && f < 0.6 },
	"badge":  badgeClass,
	"label":  statusLabel,
	"detail": func(b []byte) string { return string(b) },
}

// pages are parsed once: each page template with the layout.
var pages = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	for _, name := range []string{"signin", "cases", "case", "office", "audit", "error"} {
		m[name] = template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return m
}()

func badgeClass(status casefile.Status) string {
	switch status {
	case casefile.StatusComplete:
		return "ok"
	case casefile.StatusNeedsCorrection:
		return "warn"
	case casefile.StatusNeedsReview:
		return "review"
	case casefile.StatusOpen:
		return "open"
	default:
		return "closed"
	}
}

func statusLabel(status casefile.Status) string {
	switch status {
	case casefile.StatusComplete:
		return "Complete"
	case casefile.StatusNeedsCorrection:
		return "Needs correction"
	case casefile.StatusNeedsReview:
		return "Needs review"
	case casefile.StatusOpen:
		return "Open"
	case casefile.StatusNotPrescription:
		return "Not a prescription"
	}
	return string(status)
}

// layoutData is what the layout shows around every page.
type layoutData struct {
	Title string
	Nav   string
	User  string
	CSRF  string
	Style template.CSS
	Data  any
	// Alerts are the operations problems shown to a signed-in user.
	Alerts []string
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	u := userOf(r)
	nav := page
	var b bytes.Buffer
	var alerts []string
	if u.name != "" && s.alerts != nil {
		alerts = s.alerts()
	}
	err := pages[page].ExecuteTemplate(&b, "layout", layoutData{Title: title, Nav: nav, User: u.name, CSRF: u.csrf,
		Style: template.CSS(styleCSS), Data: data, Alerts: alerts})
	if err != nil {
		s.log.Error("review: render", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error", http.StatusText(status), struct {
		Status  int
		Message string
	}{status, msg})
}

// viewed records a page view before the page is shown: a view that cannot
// be recorded is not shown.
func (s *Server) viewed(w http.ResponseWriter, r *http.Request, caseID string) bool {
	if err := s.trail.PageViewed(r.Context(), userOf(r).name, r.URL.Path, caseID); err != nil {
		s.log.Error("review: page view not recorded; refused", "page", r.URL.Path, "err", err)
		s.renderError(w, r, http.StatusServiceUnavailable, "The audit trail cannot be written, so the page is not shown.")
		return false
	}
	return true
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (s *Server) casesPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := listFilter{Status: casefile.Status(q.Get("status")), Office: q.Get("office"), Q: q.Get("q")}
	if v := q.Get("from"); dateRE.MatchString(v) {
		f.From = v
	}
	if v := q.Get("to"); dateRE.MatchString(v) {
		f.To = v
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 && n < 100000 {
		f.Page = n
	}
	if len(f.Q) > 100 {
		f.Q = f.Q[:100]
	}
	ctx := r.Context()
	rows, more, err := s.listCases(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, total, err := s.statusCounts(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	offices, err := s.officeNames(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.viewed(w, r, "") {
		return
	}
	pageURL := func(page int) string {
		v := r.URL.Query()
		v.Set("page", strconv.Itoa(page))
		return "/cases?" + v.Encode()
	}
	data := struct {
		Filter     listFilter
		Rows       []caseRow
		Counts     []statusCount
		Total      int
		Offices    []string
		Prev, Next string
		Filtered   bool
	}{Filter: f, Rows: rows, Counts: counts, Total: total, Offices: offices,
		Filtered: f.Status != "" || f.From != "" || f.To != "" || f.Office != "" || f.Q != ""}
	if more {
		data.Next = pageURL(f.Page + 1)
	}
	if f.Page > 0 {
		data.Prev = pageURL(f.Page - 1)
	}
	s.render(w, r, http.StatusOK, "cases", "Cases", data)
}

// fail answers a request that could not be served because of err.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, casefile.ErrNoCase) || errors.Is(err, casefile.ErrNoRecord) {
		s.renderError(w, r, http.StatusNotFound, "There is no such case.")
		return
	}
	s.log.Error("review: request failed", "page", r.URL.Path, "err", err)
	s.renderError(w, r, http.StatusInternalServerError, "Something went wrong on the server; the error is in its log.")
}

var caseIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`)

// loadCase reads the case named in the URL and its record (nil when the
// case has none yet).
func (s *Server) loadCase(r *http.Request) (*casefile.Case, *casefile.Record, error) {
	id := r.PathValue("id")
	if !caseIDRE.MatchString(id) {
		return nil, nil, fmt.Errorf("%w: %q", casefile.ErrNoCase, id)
	}
	c, err := s.store.Case(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	rec, err := s.store.Record(r.Context(), c.ID)
	if errors.Is(err, casefile.ErrNoRecord) {
		return c, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if rec.CaseID == "" {
		rec.CaseID = c.ID
	}
	return c, rec, nil
}

// fieldRow is a line of the table of what was read.
type fieldRow struct {
	Name, Value string
	Confidence  float64
	Evidence    string
	Page        int
	Missing     bool
}

func fieldRows(rx *extract.Prescription) []fieldRow {
	if rx == nil {
		return nil
	}
	ev := func(name string) extract.Evidence { return rx.Evidence[name] }
	var out []fieldRow
	add := func(name, value string, e extract.Evidence) {
		out = append(out, fieldRow{Name: name, Value: value, Confidence: e.Confidence, Evidence: e.Text, Page: e.Page, Missing: value == ""})
	}
	if p := rx.Patient; p != nil {
		v := p.Name
		if p.DOB != "" {
			v += " (born " + p.DOB + ")"
		}
		add("Patient", v, p.Evidence)
	} else {
		add("Patient", "", extract.Evidence{})
	}
	if p := rx.Prescriber; p != nil {
		v := strings.TrimSpace(p.Name + " " + p.Credentials)
		if p.NPI != "" {
			v += ", NPI " + p.NPI
		}
		add("Prescriber", v, p.Evidence)
	} else {
		add("Prescriber", "", extract.Evidence{})
	}
	add("Date", rx.Date, ev("date"))
	if len(rx.Procedures) == 0 {
		add("Modality", "", extract.Evidence{})
	}
	for _, p := range rx.Procedures {
		e := p.Evidence
		if e.Text == "" {
			e.Text = p.Text
		}
		add("Modality", p.CPT+" "+cptNames[p.CPT], e)
	}
	if len(rx.Diagnoses) == 0 {
		add("Diagnosis", "", extract.Evidence{})
	}
	for _, d := range rx.Diagnoses {
		v := d.Code
		if d.Description != "" {
			v += " " + d.Description
		}
		switch {
		case d.Header:
			v += " (category, not billable)"
		case !d.Billable:
			v += " (not a valid code)"
		}
		add("Diagnosis", v, d.Evidence)
	}
	add("Areas", strings.Join(rx.Areas, ", "), ev("areas"))
	if s := rx.Session; s != nil {
		v := s.Text
		if s.Units > 0 {
			v = fmt.Sprintf("%s (%d units)", s.Text, s.Units)
		}
		add("Session length", v, s.Evidence)
	} else {
		add("Session length", "", extract.Evidence{})
	}
	if f := rx.Frequency; f != nil {
		v := f.Text
		if f.Visits > 0 {
			v = fmt.Sprintf("%s (%d visits", f.Text, f.Visits)
			if f.Weeks > 0 {
				v += fmt.Sprintf(" over %d weeks", f.Weeks)
			}
			v += ")"
		}
		add("Frequency", v, f.Evidence)
	} else {
		add("Frequency", "", extract.Evidence{})
	}
	mn := "no"
	if rx.MedicallyNecessary {
		mn = "yes"
	}
	add("Medically necessary", mn, ev("medically_necessary"))
	sig := "no"
	if rx.Signature.Present {
		sig = "yes"
		if rx.Signature.Kind != "" {
			sig += " (" + rx.Signature.Kind + ")"
		}
	} else if rx.Signature.Printed != "" {
		sig = "no (" + rx.Signature.Printed + ")"
	}
	add("Signature", sig, rx.Signature.Evidence)
	return out
}

// cptNames are the procedure codes the edit form offers.
var cptNames = map[string]string{
	"97140": "manual therapy (myofascial release, neuromuscular therapy)",
	"97124": "massage",
	"97110": "therapeutic exercise",
	"97112": "neuromuscular re-education",
	"97530": "therapeutic activities",
	"97010": "hot or cold packs",
}

var cptOrder = []string{"97140", "97124", "97110", "97112", "97530", "97010"}

type option struct {
	Value, Label string
	Checked      bool
}

// editForm is the edit form, filled with what the record holds.
type editForm struct {
	Frequency, Session, Diagnoses string
	Areas, Modality               []option
	Signature, Necessary          bool
	SignatureKind                 string
}

func formFor(rx *extract.Prescription) editForm {
	if rx == nil {
		rx = &extract.Prescription{}
	}
	var f editForm
	if rx.Frequency != nil {
		f.Frequency = rx.Frequency.Text
	}
	if rx.Session != nil {
		f.Session = rx.Session.Text
	}
	var codes []string
	for _, d := range rx.Diagnoses {
		codes = append(codes, d.Code)
	}
	f.Diagnoses = strings.Join(codes, ", ")
	for _, a := range extract.AreaNames() {
		f.Areas = append(f.Areas, option{a, a, slices.Contains(rx.Areas, a)})
	}
	for _, c := range cptOrder {
		f.Modality = append(f.Modality, option{c, c + " " + cptNames[c],
			slices.ContainsFunc(rx.Procedures, func(p extract.Procedure) bool { return p.CPT == c })})
	}
	f.Signature, f.Necessary, f.SignatureKind = rx.Signature.Present, rx.MedicallyNecessary, rx.Signature.Kind
	return f
}

// caseData is the case page.
type caseData struct {
	Case         *casefile.Case
	Rec          *casefile.Record
	Patient      string
	Fields       []fieldRow
	Findings     []validate.Finding
	Pages        []pageData
	Outbox       *outboxView
	Timeline     []audit.Entry
	Form         editForm
	OfficeForm   officeForm
	Message      string
	Error        string
	CanAccept    bool
	CanDismiss   bool
	CanSend      bool
	CanAddOffice bool
	IsAdmin      bool // may change the office directory
	Sender       string
}

type pageData struct {
	N          int
	Image      bool
	Text       string
	Confidence float64
	Note       string
}

// officeForm is the office form as typed, shown again with an error.
type officeForm struct {
	Name, Emails, Fax, NPI string
}

// messages are the notes shown after an action (?done=...): fixed texts,
// nothing from the request is echoed.
var messages = map[string]string{
	"accepted":   "The case was accepted as complete.",
	"dismissed":  "The case was closed as not a prescription.",
	"edited":     "The changes were saved and the rules were run again.",
	"unchanged":  "Nothing was changed.",
	"sent":       "The correction request was handed to the mail queue.",
	"send-error": "The correction request could not be sent; see the server's log.",
	"office":     "The office directory (offices.local.yaml) and the case's office were saved, and the rules were run again.",
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	c, rec, err := s.loadCase(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.caseData(r, c, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Message = messages[r.URL.Query().Get("done")]
	if !s.viewed(w, r, c.ID) {
		return
	}
	// The view just recorded belongs on the timeline too.
	if tl, err := s.trail.List(r.Context(), audit.Filter{CaseID: c.ID, Limit: 200}); err == nil {
		d.Timeline = tl
	}
	s.render(w, r, http.StatusOK, "case", "Case "+c.ID, d)
}

// caseData gathers what the case page shows.
func (s *Server) caseData(r *http.Request, c *casefile.Case, rec *casefile.Record) (*caseData, error) {
	ctx := r.Context()
	d := &caseData{Case: c, Rec: rec, Sender: firstNonEmpty(c.SenderAddress, formatFax(c.SenderFax))}
	if rec != nil {
		d.Fields = fieldRows(rec.Prescription)
		d.Findings = rec.Findings
		d.Form = formFor(rec.Prescription)
		if rx := rec.Prescription; rx != nil && rx.Patient != nil {
			d.Patient = rx.Patient.Name
		}
		for i, p := range rec.PageTexts {
			pd := pageData{N: i + 1, Text: p.Text, Confidence: p.Confidence, Image: i < len(rec.PageImages)}
			switch {
			case p.CoverSheet:
				pd.Note = "fax cover sheet"
			case p.Unreadable != "":
				pd.Note = "unreadable: " + p.Unreadable
			case p.TextLayer:
				pd.Note = "text layer"
			}
			d.Pages = append(d.Pages, pd)
		}
		for i := len(rec.PageTexts); i < len(rec.PageImages); i++ {
			d.Pages = append(d.Pages, pageData{N: i + 1, Image: true})
		}
		if s := rec.Sender; s != nil {
			d.Sender = firstNonEmpty(s.Name, s.Email, formatFax(s.Fax), d.Sender)
		}
		// The office form is never filled in from the message: see offices.go.
		open := c.Status.Undecided()
		d.CanAccept = open
		d.CanDismiss = open
		d.CanSend = s.notifier != nil && rec.Office != "" && open && hasCorrectable(rec)
		d.CanAddOffice = rec.Office == "" && c.Status != casefile.StatusNotPrescription
		d.IsAdmin = s.cfg.Review.IsAdmin(userOf(r).name)
	}
	ob, err := s.outbox(ctx, c.ID)
	if err != nil {
		s.log.Warn("review: outbox not read", "case", c.ID, "err", err)
	}
	d.Outbox = ob
	return d, nil
}

// hasCorrectable reports whether a record has an error an office can
// correct (not a reason for review).
func hasCorrectable(rec *casefile.Record) bool {
	return slices.ContainsFunc(rec.Findings, func(f validate.Finding) bool {
		return f.Severity == validate.Error && !validate.IsReviewRule(f.Rule)
	})
}

// pageImage serves page n (1-based) of a case as stored: the image is found
// through the case's record, never through a name in the URL.
func (s *Server) pageImage(w http.ResponseWriter, r *http.Request) {
	c, rec, err := s.loadCase(r)
	if err != nil || rec == nil {
		http.NotFound(w, r)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(rec.PageImages) {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(s.store.ImagePath(rec.PageImages[n-1]))
	if err != nil {
		s.log.Warn("review: page image missing", "case", c.ID, "page", n, "err", err)
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	// A page image is the prescription itself: who saw which case's page
	// is recorded before it is sent, and not sent if it cannot be.
	if err := s.trail.PageViewed(r.Context(), userOf(r).name, r.URL.Path, c.ID); err != nil {
		s.log.Error("review: page image view not recorded; refused", "case", c.ID, "page", n, "err", err)
		http.Error(w, "The audit trail cannot be written, so the page is not shown.", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", time.Time{}, f)
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := audit.Filter{Limit: 100}
	if v := q.Get("case"); caseIDRE.MatchString(v) {
		f.CaseID = v
	}
	if v := q.Get("event"); v != "" && len(v) < 64 {
		f.Event = v
	}
	if v := q.Get("actor"); v != "" && len(v) < 80 {
		f.Actor = v
	}
	if n, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && n > 0 {
		f.Before = n
	}
	rep, verr := s.trail.Verify(ctx)
	if !s.viewed(w, r, "") {
		return
	}
	entries, err := s.trail.List(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := struct {
		Report  audit.Report
		Error   string
		Entries []audit.Entry
		Filter  audit.Filter
		Next    string
	}{Report: rep, Entries: entries, Filter: f}
	if verr != nil {
		s.log.Error("review: audit trail could not be verified", "err", verr)
		data.Error = "The audit trail could not be read to verify it; the error is in the server's log."
	}
	if len(entries) == f.Limit {
		v := r.URL.Query()
		v.Set("before", strconv.FormatInt(entries[len(entries)-1].Seq, 10))
		data.Next = "/audit?" + v.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", "Audit trail", data)
}

func (s *Server) export(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if err := s.trail.TrailExported(ctx, userOf(r).name, format); err != nil {
			s.log.Error("review: export not recorded; refused", "err", err)
			http.Error(w, "the audit trail cannot be written, so it is not exported", http.StatusServiceUnavailable)
			return
		}
		name := "rxintake-audit-" + timeNow().UTC().Format("20060102T150405Z") + "." + format
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		var err error
		if format == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			err = s.trail.ExportCSV(ctx, w)
		} else {
			w.Header().Set("Content-Type", "application/jsonl; charset=utf-8")
			err = s.trail.ExportJSONL(ctx, w)
		}
		if err != nil {
			s.log.Error("review: export failed", "err", err)
		}
	}
}
