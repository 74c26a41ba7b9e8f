package review

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/config"
	"rxintake/notify"
	"rxintake/validate"
)

const (
	testAdmin         = "bob"
	testAdminPassword = "bob's long password"
	// What the message of the unknown office claims.
	claimedFrom = "referrals@gulfcoast-fm.example"
	claimedFax  = "9415550143"
	claimedNPI  = "1234567893"
	claimedName = "GULF COAST FM"
)

// unknownOfficeEnv is a page with a user and an administrator, and a case
// that needs correcting from an office not in the directory: its message
// came from claimedFrom, its fax header claims claimedFax and its
// prescriber claimedNPI.
func unknownOfficeEnv(t *testing.T) (*env, *casefile.Record) {
	t.Helper()
	e := newEnv(t, nil)
	if _, err := e.users.Set(testAdmin, testAdminPassword); err != nil {
		t.Fatal(err)
	}
	e.cfg.Review.Admins = []string{testAdmin}
	rec := seedRecord(testCase)
	rec.Office = ""
	rec.Sender = &casefile.Sender{Email: claimedFrom, Fax: claimedFax, Name: claimedName}
	rec.Prescription.Diagnoses[1].Confidence = 0.95
	rec = recheck(rec)
	if !hasRule(rec, "office-unknown") {
		t.Fatalf("seed: %v", rec.Rules())
	}
	e.seedCase(rec, time.Now(), nil)
	return e, rec
}

var officeFormRE = regexp.MustCompile(`(?s)<form method="post" action="/cases/[^"]+/office".*?</form>`)

// officeFormOf returns the "Add office" form of a case page, or "".
func officeFormOf(body string) string { return officeFormRE.FindString(body) }

var checkRE = regexp.MustCompile(`name="check" value="([^"]+)"`)

// addOffice posts the office form, expects the confirmation page, and
// confirms it as shown; it returns the confirmation page and the answer
// to the confirmation.
func (c *client) addOffice(csrf string, form url.Values) (confirmPage string, resp *http.Response, body string) {
	c.t.Helper()
	form.Set("csrf", csrf)
	r, page := c.post("/cases/"+testCase+"/office", form)
	m := checkRE.FindStringSubmatch(page)
	if r.StatusCode != http.StatusOK || m == nil || !strings.Contains(page, `name="confirm" value="yes"`) {
		c.t.Fatalf("office form: %s, want the confirmation page\n%s", r.Status, alertOf(page))
	}
	form.Set("confirm", "yes")
	form.Set("check", m[1])
	resp, body = c.post("/cases/"+testCase+"/office", form)
	return page, resp, body
}

// TestOfficeFormNotPrefilled: the "Add office" form carries nothing from
// the message: its From address, claimed fax number, NPI and name are
// what a forged referral controls.
func TestOfficeFormNotPrefilled(t *testing.T) {
	e, _ := unknownOfficeEnv(t)
	c := e.client()
	c.signIn(testAdmin, testAdminPassword)
	_, body := c.get("/cases/" + testCase)
	form := officeFormOf(body)
	if form == "" {
		t.Fatalf("no office form for an administrator on a case of an unknown office:\n%.3000s", body)
	}
	for _, claimed := range []string{claimedFrom, claimedFax, "941-555-0143", claimedNPI, claimedName} {
		if strings.Contains(form, claimed) {
			t.Errorf("the office form is filled in with %q from the message", claimed)
		}
	}
	if !strings.Contains(body, "can be forged") {
		t.Error("the page does not say that the message's addresses can be forged")
	}
}

// TestOfficeAdminOnly: a user who is not an administrator sees no office
// form, and a post of one changes nothing.
func TestOfficeAdminOnly(t *testing.T) {
	e, _ := unknownOfficeEnv(t)
	c := e.client()
	csrf := c.signIn(testUser, testPassword)
	_, body := c.get("/cases/" + testCase)
	if officeFormOf(body) != "" {
		t.Error("a user who is not an administrator is offered the office form")
	}
	if !strings.Contains(body, "Only an administrator can add an office") {
		t.Error("the page does not say who can add the office")
	}
	form := url.Values{"csrf": {csrf}, "name": {"Gulf Coast FM"}, "emails": {"rx@gulfcoastfm.example"}, "fax": {claimedFax}}
	resp, body := c.post("/cases/"+testCase+"/office", form)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "administrator") {
		t.Errorf("office form posted by a user: %s, want 403 naming administrators", resp.Status)
	}
	form.Set("confirm", "yes")
	form.Set("check", "x")
	if resp, _ := c.post("/cases/"+testCase+"/office", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("office confirmation posted by a user: %s, want 403", resp.Status)
	}
	if offices, _ := notify.LocalOffices(e.dataDir); len(offices) != 0 {
		t.Errorf("offices written for a user: %+v", offices)
	}
	if ev := e.entries(audit.Filter{Event: audit.EventOfficeAdded}); len(ev) != 0 {
		t.Errorf("office-added for a user: %+v", ev)
	}
}

// TestAddOffice: an administrator types the office, sees what will be
// added, confirms; the office joins the directory, the case is checked
// again, and the audit trail says who added what.
func TestAddOffice(t *testing.T) {
	e, _ := unknownOfficeEnv(t)
	c := e.client()
	csrf := c.signIn(testAdmin, testAdminPassword)
	resp, body := c.post("/cases/"+testCase+"/office", url.Values{"csrf": {csrf}, "name": {"Gulf Coast FM"}, "emails": {"Front Desk <rx@gulf.example>"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "not a bare email address") {
		t.Fatalf("display name: %s, want 400", resp.Status)
	}
	if !strings.Contains(officeFormOf(body), `value="Gulf Coast FM"`) {
		t.Error("the form shown again does not keep what was typed")
	}

	// The first post only shows what would change.
	form := url.Values{"csrf": {csrf}, "name": {"Gulf Coast FM"}, "emails": {"rx@gulf.example"}, "fax": {"(941) 555-0143"}, "npi": {"1234567893"}}
	resp, page := c.post("/cases/"+testCase+"/office", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Confirm") || !strings.Contains(page, "rx@gulf.example") || !strings.Contains(page, "941-555-0143") {
		t.Fatalf("office form: %s, want a confirmation naming the address and fax number", resp.Status)
	}
	if offices, _ := notify.LocalOffices(e.dataDir); len(offices) != 0 {
		t.Fatalf("offices written before the confirmation: %+v", offices)
	}
	if ev := e.entries(audit.Filter{Event: audit.EventOfficeAdded}); len(ev) != 0 {
		t.Fatalf("office-added before the confirmation: %+v", ev)
	}
	// A confirmation that does not match what was shown is shown again.
	stale := url.Values{"csrf": {csrf}, "name": {"Gulf Coast FM"}, "emails": {"rx@gulf.example"}, "confirm": {"yes"}, "check": {checkRE.FindStringSubmatch(page)[1]}}
	if resp, _ := c.post("/cases/"+testCase+"/office", stale); resp.StatusCode != http.StatusOK {
		t.Fatalf("confirmation of other values: %s, want the confirmation page again", resp.Status)
	}
	if offices, _ := notify.LocalOffices(e.dataDir); len(offices) != 0 {
		t.Fatalf("offices written on a confirmation of other values: %+v", offices)
	}

	_, resp, body = c.addOffice(csrf, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %s\n%s", resp.Status, alertOf(body))
	}
	offices, err := notify.LocalOffices(e.dataDir)
	if err != nil || len(offices) != 1 || offices[0].Name != "Gulf Coast FM" || offices[0].Fax[0] != "9415550143" || offices[0].Emails[0] != "rx@gulf.example" {
		t.Fatalf("local offices: %+v, %v", offices, err)
	}
	if fi, _ := os.Stat(filepath.Join(e.dataDir, notify.LocalOfficesFile)); fi.Mode().Perm() != 0o600 {
		t.Errorf("offices file mode %v", fi.Mode())
	}
	got, _ := e.store.Record(t.Context(), testCase)
	if got.Office != "Gulf Coast FM" || hasRule(got, "office-unknown") || e.caseStatus(testCase) != validate.StatusNeedsCorrection {
		t.Errorf("after adding the office: %q %s %v", got.Office, e.caseStatus(testCase), got.Rules())
	}
	ev := e.entries(audit.Filter{Event: audit.EventOfficeAdded})
	if len(ev) != 1 || ev[0].CaseID != testCase || ev[0].Actor != "user:"+testAdmin ||
		string(ev[0].Detail) != `{"name":"Gulf Coast FM","emails":["rx@gulf.example"],"fax":["9415550143"],"npi":["1234567893"]}` {
		t.Errorf("office-added: %+v", ev)
	}
	if _, body := c.get("/cases/" + testCase + "?done=office"); officeFormOf(body) != "" || !strings.Contains(body, "Gulf Coast FM") {
		t.Error("the case page still offers to add the office")
	}
}

// TestOfficeWarnings: the confirmation warns when an address is at
// another domain than the offices of the directory that have the NPI or
// fax number typed, and when it is the address the message came from; the
// audit trail records which warnings were confirmed past.
func TestOfficeWarnings(t *testing.T) {
	e, _ := unknownOfficeEnv(t)
	// A fax-only office of the directory has the NPI; a local one the fax.
	e.cfg.Offices = []config.Office{{Name: "Gulf Coast Family Medicine", NPI: []string{claimedNPI}}}
	if err := notify.AddLocalOffice(e.dataDir, config.Office{Name: "Gulf Coast FM Fax Room", Fax: []string{claimedFax}, Emails: []string{"fax@gulfcoastfm.example"}}); err != nil {
		t.Fatal(err)
	}
	e.cfg.Offices = append(e.cfg.Offices, config.Office{Name: "Gulf Coast Pediatrics", NPI: []string{claimedNPI}, Emails: []string{"Front Desk <desk@gcpeds.example>"}})
	c := e.client()
	csrf := c.signIn(testAdmin, testAdminPassword)
	confirm := func(emails, fax, npi string) (string, []string) {
		t.Helper()
		resp, page := c.post("/cases/"+testCase+"/office", url.Values{"csrf": {csrf}, "name": {"Gulf Coast Billing"}, "emails": {emails}, "fax": {fax}, "npi": {npi}})
		if resp.StatusCode != http.StatusOK || !checkRE.MatchString(page) {
			t.Fatalf("%s: %s, want the confirmation page\n%s", emails, resp.Status, alertOf(page))
		}
		var warns []string
		for _, m := range regexp.MustCompile(`(?s)<p class="alert alert-warn"[^>]*>(.*?)</p>`).FindAllStringSubmatch(page, -1) {
			warns = append(warns, m[1])
		}
		return page, warns
	}

	// At a domain the NPI's and fax number's offices use: no warning.
	if _, w := confirm("billing@gulfcoastfm.example", claimedFax, claimedNPI); len(w) != 0 {
		t.Errorf("an address at the offices' domain: warnings %q, want none", w)
	}
	if _, w := confirm("billing@gcpeds.example", "", claimedNPI); len(w) != 0 {
		t.Errorf("an address at the NPI's office's domain: warnings %q, want none", w)
	}
	// Elsewhere: a warning naming the offices and their domains.
	_, w := confirm("rx@evil.example", claimedFax, claimedNPI)
	if len(w) != 1 || !strings.Contains(w[0], "rx@evil.example") || !strings.Contains(w[0], "gulfcoastfm.example") ||
		!strings.Contains(w[0], "gcpeds.example") || !strings.Contains(w[0], "Gulf Coast FM Fax Room") || !strings.Contains(w[0], "Gulf Coast Pediatrics") {
		t.Errorf("an address at another domain: warnings %q, want one naming rx@evil.example, the offices and their domains", w)
	}
	// The message's own From address.
	_, w = confirm(strings.ToUpper(claimedFrom), "", "")
	if len(w) != 1 || !strings.Contains(w[0], "came from") || !strings.Contains(w[0], "forged") {
		t.Errorf("the message's From address: warnings %q, want one saying the message came from it", w)
	}
	// No office has the fax or NPI typed: nothing to compare with.
	if _, w := confirm("rx@evil.example", "8135550100", ""); len(w) != 0 {
		t.Errorf("no office to compare with: warnings %q, want none", w)
	}

	_, resp, body := c.addOffice(csrf, url.Values{"name": {"Gulf Coast Billing"}, "emails": {"rx@evil.example, " + claimedFrom}, "npi": {claimedNPI}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm past the warnings: %s\n%s", resp.Status, alertOf(body))
	}
	ev := e.entries(audit.Filter{Event: audit.EventOfficeAdded})
	if len(ev) != 1 || !strings.Contains(string(ev[0].Detail), `"warnings":["domain-differs","sender-address"]`) {
		t.Errorf("office-added: %+v, want the warnings confirmed past", ev)
	}
}

// TestOfficeChange: an administrator adds an address to an office added
// on the page before; the confirmation says it is a change, and the audit
// trail records what was added. An office of the configuration file is
// changed there, not on the page.
func TestOfficeChange(t *testing.T) {
	e, _ := unknownOfficeEnv(t)
	e.cfg.Offices = []config.Office{{Name: testOffice, Emails: []string{"rx@gulfcoastfm.example"}}}
	if err := notify.AddLocalOffice(e.dataDir, config.Office{Name: "Harbor Street Clinic", Emails: []string{"rx@harbor.example"}, Fax: []string{"8135550100"}}); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	csrf := c.signIn(testAdmin, testAdminPassword)

	resp, body := c.post("/cases/"+testCase+"/office", url.Values{"csrf": {csrf}, "name": {strings.ToUpper(testOffice)}, "emails": {"billing@gulfcoastfm.example"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(alertOf(body), "configuration file") {
		t.Errorf("an office of the configuration: %s %q, want 400 saying it is changed in the configuration file", resp.Status, alertOf(body))
	}

	page, resp, body := c.addOffice(csrf, url.Values{"name": {"harbor street clinic"}, "emails": {"rx@harbor.example, billing@harbor.example"}, "fax": {"813-555-0100"}})
	if !strings.Contains(page, "Harbor Street Clinic is in the directory") {
		t.Errorf("the confirmation of a change does not say the office is in the directory:\n%s", page)
	}
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm the change: %s\n%s", resp.Status, alertOf(body))
	}
	offices, _ := notify.LocalOffices(e.dataDir)
	if len(offices) != 1 || strings.Join(offices[0].Emails, " ") != "rx@harbor.example billing@harbor.example" {
		t.Errorf("local offices: %+v", offices)
	}
	ev := e.entries(audit.Filter{Event: audit.EventOfficeChanged})
	if len(ev) != 1 || ev[0].Actor != "user:"+testAdmin || ev[0].CaseID != testCase ||
		string(ev[0].Detail) != `{"name":"Harbor Street Clinic","added_emails":["billing@harbor.example"],"added_fax":[],"added_npi":[]}` {
		t.Errorf("office-changed: %+v", ev)
	}
	if got, _ := e.store.Record(t.Context(), testCase); got.Office != "Harbor Street Clinic" {
		t.Errorf("case office %q, want Harbor Street Clinic", got.Office)
	}
}

func TestNormalizeOfficeDedupes(t *testing.T) {
	o, err := normalizeOffice(" Gulf Coast FM ", "rx@gulf.example, RX@gulf.example; desk@gulf.example", "941-555-0143\n(941) 555-0143", "1234567893, 1234567893")
	if err != nil {
		t.Fatal(err)
	}
	if o.Name != "Gulf Coast FM" || strings.Join(o.Emails, " ") != "rx@gulf.example desk@gulf.example" || len(o.Fax) != 1 || len(o.NPI) != 1 {
		t.Errorf("normalized: %+v", o)
	}
}
