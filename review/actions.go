package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/extract"
	"rxintake/icd10cm"
	"rxintake/notify"
	"rxintake/validate"
)

// Actions answer with a redirect to the case page (303, so that a reload
// does not repeat them) carrying a fixed message; a form that cannot be
// used is shown again with what was wrong.

func (s *Server) done(w http.ResponseWriter, r *http.Request, caseID, msg string) {
	http.Redirect(w, r, "/cases/"+url.PathEscape(caseID)+"?done="+msg, http.StatusSeeOther)
}

// actionCase loads the case of an action; it answers the request itself
// when that fails.
func (s *Server) actionCase(w http.ResponseWriter, r *http.Request) (*casefile.Case, *casefile.Record, bool) {
	c, rec, err := s.loadCase(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	if rec == nil {
		s.renderError(w, r, http.StatusConflict, "This case has not been read yet; there is nothing to decide.")
		return nil, nil, false
	}
	return c, rec, true
}

// accept marks a case complete; the findings that stood are recorded as set
// aside.
func (s *Server) accept(w http.ResponseWriter, r *http.Request) {
	c, rec, ok := s.actionCase(w, r)
	if !ok {
		return
	}
	if !c.Status.Undecided() {
		s.renderError(w, r, http.StatusConflict, "This case is already decided ("+statusLabel(c.Status)+").")
		return
	}
	var rules []string
	for _, f := range rec.Findings {
		if (f.Severity == validate.Error || validate.IsReviewRule(f.Rule) || f.Rule == casework.RuleOfficeUnknown) && !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	from := c.Status
	if from == casefile.StatusOpen {
		from = casefile.StatusNeedsReview
	}
	if err := s.trail.CaseOverridden(r.Context(), userOf(r).name, c.ID, audit.Override{From: string(from), To: string(casefile.StatusComplete), Rules: rules}); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.saveCase(r.Context(), rec, casefile.StatusComplete, "accepted"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("review: case accepted", "case", c.ID, "user", userOf(r).name)
	s.done(w, r, c.ID, "accepted")
}

// dismiss closes a case as not a prescription.
func (s *Server) dismiss(w http.ResponseWriter, r *http.Request) {
	c, rec, ok := s.actionCase(w, r)
	if !ok {
		return
	}
	if !c.Status.Undecided() {
		s.renderError(w, r, http.StatusConflict, "This case is already decided ("+statusLabel(c.Status)+").")
		return
	}
	if err := s.trail.CaseDismissed(r.Context(), userOf(r).name, c.ID, string(c.Status), string(casefile.StatusNotPrescription)); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.saveCase(r.Context(), rec, casefile.StatusNotPrescription, "dismissed"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("review: case dismissed", "case", c.ID, "user", userOf(r).name)
	s.done(w, r, c.ID, "dismissed")
}

// errForm is a form value the page cannot use; its message is shown.
type errForm struct{ msg string }

func (e errForm) Error() string { return e.msg }

// applyEdit sets the fields of the edit form on rx and returns the names
// of the fields that changed. user is recorded as the evidence of what was
// entered; asOf picks the ICD-10-CM code set.
func applyEdit(rx *extract.Prescription, form url.Values, user string, asOf time.Time) ([]string, error) {
	entered := extract.Evidence{Text: "entered on the review page by " + user, Confidence: 1}
	var changed []string
	dropAmbiguities := func(field string) {
		rx.Ambiguities = slices.DeleteFunc(rx.Ambiguities, func(a extract.Ambiguity) bool { return a.Field == field })
	}

	// Frequency.
	if text := strings.TrimSpace(form.Get("frequency")); text != textOf(rx.Frequency) {
		if text == "" {
			rx.Frequency = nil
		} else {
			fr, ok := extract.ParseFrequency(text)
			if !ok {
				why := fr.Reason
				if why == "" {
					why = "no visits per week and number of weeks were found"
				}
				return nil, errForm{fmt.Sprintf("The frequency %q is not a treatment plan (%s). Write it like \"2x/week for 6 weeks\" or \"12 visits over 4 weeks\".", text, why)}
			}
			fr.Text, fr.Evidence = text, entered
			rx.Frequency = &fr
		}
		dropAmbiguities("frequency")
		changed = append(changed, "frequency")
	}

	// Session length.
	if text := strings.TrimSpace(form.Get("session")); text != sessionText(rx.Session) {
		if text == "" {
			rx.Session = nil
		} else {
			se, ok := extract.ParseSession(text)
			if !ok || se.Ambiguous || se.Units == 0 {
				return nil, errForm{fmt.Sprintf("The session length %q cannot be read. Write it like \"4 units\" or \"60 minutes\".", text)}
			}
			se.Text, se.Evidence = text, entered
			rx.Session = &se
		}
		dropAmbiguities("session")
		changed = append(changed, "session")
	}

	// Areas.
	var areas []string
	for _, a := range extract.AreaNames() {
		if slices.Contains(form["area"], a) {
			areas = append(areas, a)
		}
	}
	if !slices.Equal(areas, sortedAreas(rx.Areas)) {
		rx.Areas = areas
		if rx.Evidence == nil {
			rx.Evidence = extract.EvidenceMap{}
		}
		rx.Evidence["areas"] = entered
		dropAmbiguities("areas")
		changed = append(changed, "areas")
	}

	// Modality: the procedure codes.
	var cpts, had []string
	for _, c := range cptOrder {
		if slices.Contains(form["cpt"], c) {
			cpts = append(cpts, c)
		}
	}
	for _, c := range cptOrder {
		if slices.ContainsFunc(rx.Procedures, func(p extract.Procedure) bool { return p.CPT == c }) {
			had = append(had, c)
		}
	}
	if !slices.Equal(cpts, had) {
		var procs []extract.Procedure
		for _, c := range cpts {
			if i := slices.IndexFunc(rx.Procedures, func(p extract.Procedure) bool { return p.CPT == c }); i >= 0 {
				procs = append(procs, rx.Procedures[i])
				continue
			}
			procs = append(procs, extract.Procedure{CPT: c, Text: c, Evidence: entered})
		}
		rx.Procedures = procs
		dropAmbiguities("procedures")
		changed = append(changed, "modality")
	}

	// Diagnoses.
	var codes []string
	for _, raw := range strings.FieldsFunc(strings.ToUpper(form.Get("diagnoses")), func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		code, err := icd10cm.Normalize(raw)
		if err != nil {
			return nil, errForm{fmt.Sprintf("%q is not an ICD-10-CM code. Write codes like M54.50, separated by commas.", raw)}
		}
		if !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
	}
	var hadCodes []string
	for _, d := range rx.Diagnoses {
		hadCodes = append(hadCodes, d.Code)
	}
	if !slices.Equal(codes, hadCodes) {
		set := icd10cm.For(asOf)
		var dxs []extract.Diagnosis
		for _, code := range codes {
			if i := slices.IndexFunc(rx.Diagnoses, func(d extract.Diagnosis) bool { return d.Code == code }); i >= 0 {
				d := rx.Diagnoses[i]
				d.Evidence.Confidence = 1 // a person confirmed it
				dxs = append(dxs, d)
				continue
			}
			desc, billable := set.Lookup(code)
			dxs = append(dxs, extract.Diagnosis{Code: code, Description: desc, Billable: billable,
				Header: set.IsHeader(code), CodeSet: set.FiscalYear(), Evidence: entered})
		}
		rx.Diagnoses = dxs
		dropAmbiguities("diagnoses")
		changed = append(changed, "diagnoses")
	}

	// Signature.
	present := form.Get("signature") == "on"
	kind := form.Get("signature_kind")
	if kind != "wet" && kind != "electronic" {
		kind = ""
	}
	if !present {
		kind = ""
	}
	if present != rx.Signature.Present || (present && kind != rx.Signature.Kind) {
		rx.Signature = extract.Signature{Present: present, Kind: kind, Evidence: entered}
		if !present {
			rx.Signature.Printed = "blank"
		}
		changed = append(changed, "signature")
	}

	// Medically necessary.
	if mn := form.Get("necessary") == "on"; mn != rx.MedicallyNecessary {
		rx.MedicallyNecessary = mn
		if rx.Evidence == nil {
			rx.Evidence = extract.EvidenceMap{}
		}
		rx.Evidence["medically_necessary"] = entered
		changed = append(changed, "medical-necessity")
	}
	return changed, nil
}

func textOf(f *extract.Frequency) string {
	if f == nil {
		return ""
	}
	return f.Text
}

func sessionText(s *extract.Session) string {
	if s == nil {
		return ""
	}
	return s.Text
}

func sortedAreas(areas []string) []string {
	var out []string
	for _, a := range extract.AreaNames() {
		if slices.Contains(areas, a) {
			out = append(out, a)
		}
	}
	return out
}

// cloneRecord deep-copies a record through JSON, so that a failed edit
// leaves the one read untouched.
func cloneRecord(rec *casefile.Record) (*casefile.Record, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	var out casefile.Record
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// edit changes fields of the prescription as read and runs the rules again.
func (s *Server) edit(w http.ResponseWriter, r *http.Request) {
	c, rec, ok := s.actionCase(w, r)
	if !ok {
		return
	}
	if c.Status == casefile.StatusNotPrescription {
		s.renderError(w, r, http.StatusConflict, "This case was closed as not a prescription.")
		return
	}
	edited, err := cloneRecord(rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if edited.Prescription == nil {
		edited.Prescription = &extract.Prescription{}
	}
	changed, err := applyEdit(edited.Prescription, r.PostForm, userOf(r).name, casework.RecordAsOf(rec, timeNow()))
	var fe errForm
	if errors.As(err, &fe) {
		s.showCaseError(w, r, c, rec, fe.msg)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(changed) == 0 {
		s.done(w, r, c.ID, "unchanged")
		return
	}
	s.recheckAndSave(w, r, c, edited, changed, "edited")
}

// recheckAndSave runs the rules on an edited record, records the edit in
// the trail and stores the record with its new status.
func (s *Server) recheckAndSave(w http.ResponseWriter, r *http.Request, c *casefile.Case, edited *casefile.Record, changed []string, msg string) {
	out := casework.Recheck(edited, s.profileFor(edited))
	status := out.Status
	if !c.Status.Undecided() && c.Status != casefile.StatusComplete {
		status = c.Status // a later stage owns the case; keep its status
	}
	if err := s.trail.CaseEdited(r.Context(), userOf(r).name, c.ID, audit.Edit{Fields: changed, From: string(c.Status), To: string(status)}); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.saveCase(r.Context(), out, status, msg); err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("review: case edited", "case", c.ID, "user", userOf(r).name, "fields", changed, "status", string(status))
	s.done(w, r, c.ID, msg)
}

// showCaseError shows the case page again with a message about the form.
func (s *Server) showCaseError(w http.ResponseWriter, r *http.Request, c *casefile.Case, rec *casefile.Record, msg string) {
	d, err := s.caseData(r, c, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Error = msg
	if tl, err := s.trail.List(r.Context(), audit.Filter{CaseID: c.ID, Limit: 200}); err == nil {
		d.Timeline = tl
	}
	s.render(w, r, http.StatusBadRequest, "case", "Case "+c.ID, d)
}

// sendNow asks the notifier to send the case's correction request now.
func (s *Server) sendNow(w http.ResponseWriter, r *http.Request) {
	c, rec, ok := s.actionCase(w, r)
	if !ok {
		return
	}
	if s.notifier == nil || rec.Office == "" || !c.Status.Undecided() || !hasCorrectable(rec) {
		s.renderError(w, r, http.StatusConflict, "A correction request cannot be sent for this case: it needs an open case, a known office and something to correct.")
		return
	}
	err := s.notifier.SendNow(r.Context(), c.ID)
	s.auditErr(s.trail.CorrectionRequested(r.Context(), userOf(r).name, c.ID, rec.Office, err != nil))
	if err != nil {
		s.log.Error("review: send now failed", "case", c.ID, "err", err)
		s.done(w, r, c.ID, "send-error")
		return
	}
	s.log.Info("review: correction request sent on request", "case", c.ID, "user", userOf(r).name)
	s.done(w, r, c.ID, "sent")
}

// addOffice adds the office of a case to the directory (the local offices
// file), or addresses to an office added there before, makes it the case's
// office and runs the rules again. It is for administrators only, and
// takes two posts: the first shows what would change, with its warnings;
// the second, carrying the check of what was shown, applies it.
func (s *Server) addOffice(w http.ResponseWriter, r *http.Request) {
	c, rec, ok := s.actionCase(w, r)
	if !ok {
		return
	}
	user := userOf(r).name
	if !s.cfg.Review.IsAdmin(user) {
		s.log.Warn("review: office change refused: not an administrator", "case", c.ID, "user", user)
		s.renderError(w, r, http.StatusForbidden, "Adding an office to the directory, or addresses to one, is for an administrator (review.admins in the configuration).")
		return
	}
	if rec.Office != "" || c.Status == casefile.StatusNotPrescription {
		s.renderError(w, r, http.StatusConflict, "This case has an office already, or was closed.")
		return
	}
	o, err := normalizeOffice(r.PostFormValue("name"), r.PostFormValue("emails"), r.PostFormValue("fax"), r.PostFormValue("npi"))
	if err != nil {
		s.showOfficeError(w, r, c, rec, strings.TrimPrefix(err.Error(), ErrOffice.Error()+": "))
		return
	}
	local, err := notify.LocalOffices(s.cfg.DataDir)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var senders []string
	if rec.Sender != nil {
		senders = append(senders, rec.Sender.Email)
	}
	plan, err := planOffice(o, s.cfg.Offices, local, append(senders, c.SenderAddress))
	var fe errForm
	if errors.As(err, &fe) {
		s.showOfficeError(w, r, c, rec, fe.msg)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostFormValue("confirm") != "yes" || r.PostFormValue("check") != plan.check() {
		s.showOfficePlan(w, r, c, plan, r.PostFormValue("confirm") == "yes")
		return
	}

	entry := audit.OfficeEntry{Name: plan.Name, Emails: plan.Added.Emails, Fax: plan.Added.Fax, NPI: plan.Added.NPI, Warnings: plan.warningIDs()}
	switch {
	case plan.New:
		err = s.trail.OfficeAdded(r.Context(), user, c.ID, entry)
	case plan.Changes():
		err = s.trail.OfficeChanged(r.Context(), user, c.ID, entry)
	}
	if errors.Is(err, audit.ErrInvalid) {
		s.showOfficeError(w, r, c, rec, "The office cannot be recorded as given: use a plain name and bare addresses.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if plan.Changes() {
		if err := notify.AddLocalOffice(s.cfg.DataDir, plan.Added); err != nil {
			s.fail(w, r, err)
			return
		}
		s.log.Info("review: office directory changed", "case", c.ID, "user", user, "new", plan.New, "warnings", entry.Warnings)
	}
	edited, err := cloneRecord(rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	edited.Office = plan.Name
	s.recheckAndSave(w, r, c, edited, []string{"office"}, "office")
}

// showOfficeError shows the case page again with a message about the
// office form, which keeps what was typed.
func (s *Server) showOfficeError(w http.ResponseWriter, r *http.Request, c *casefile.Case, rec *casefile.Record, msg string) {
	d, err := s.caseData(r, c, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Error = msg
	d.OfficeForm = officeForm{Name: r.PostFormValue("name"), Emails: r.PostFormValue("emails"), Fax: r.PostFormValue("fax"), NPI: r.PostFormValue("npi")}
	if tl, err := s.trail.List(r.Context(), audit.Filter{CaseID: c.ID, Limit: 200}); err == nil {
		d.Timeline = tl
	}
	s.render(w, r, http.StatusBadRequest, "case", "Case "+c.ID, d)
}

// showOfficePlan shows what the office typed would change, its warnings,
// and the form that confirms it. stale says that a confirmation came for
// another plan.
func (s *Server) showOfficePlan(w http.ResponseWriter, r *http.Request, c *casefile.Case, p officePlan, stale bool) {
	fax := make([]string, len(p.Added.Fax))
	for i, f := range p.Added.Fax {
		fax[i] = formatFax(f)
	}
	s.render(w, r, http.StatusOK, "office", "Confirm the office", struct {
		Case                     *casefile.Case
		Plan                     officePlan
		Fax                      []string
		Stale                    bool
		Name, Emails, FaxIn, NPI string
		Check                    string
	}{c, p, fax, stale, r.PostFormValue("name"), r.PostFormValue("emails"), r.PostFormValue("fax"), r.PostFormValue("npi"), p.check()})
}
