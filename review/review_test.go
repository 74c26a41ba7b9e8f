package review

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/notify"
	"rxintake/validate"
)

// setClock replaces the page's clock for the test.
func setClock(t *testing.T, at time.Time) *time.Time {
	now := at
	old := timeNow
	timeNow = func() time.Time { return now }
	t.Cleanup(func() { timeNow = old })
	return &now
}

func TestSeedIsNeedsReview(t *testing.T) {
	rec := seedRecord(testCase)
	if rec.Status != validate.StatusNeedsReview || !hasRule(rec, validate.RuleFrequencyMissing) || !hasRule(rec, validate.RuleLowConfidence) {
		t.Fatalf("seed: %s %v, want needs-review with frequency-missing and low-confidence", rec.Status, rec.Rules())
	}
}

// TestUnauthenticated: every page redirects to the sign-in page, every
// image, export and action answers 401, and none of them changes anything.
func TestUnauthenticated(t *testing.T) {
	e := newEnv(t, &fakeNotifier{})
	e.seedCase(seedRecord(testCase), time.Now(), testPNG(t))
	c := e.client()
	for _, path := range []string{"/", "/cases", "/cases?status=needs-review", "/cases/" + testCase, "/audit", "/nosuch"} {
		resp, _ := c.get(path)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin?next=") {
			t.Errorf("GET %s: %s to %q, want 303 to /signin", path, resp.Status, loc)
		}
	}
	for _, path := range []string{"/cases/" + testCase + "/pages/1", "/audit/export.csv", "/audit/export.jsonl"} {
		if resp, _ := c.get(path); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET %s: %s, want 401", path, resp.Status)
		}
	}
	form := editValues(seedRecord(testCase), "x", map[string]string{"frequency": "2x/week for 6 weeks", "name": "Office", "emails": "a@b.example"})
	for _, action := range []string{"accept", "not-rx", "edit", "send", "office"} {
		if resp, _ := c.post("/cases/"+testCase+"/"+action, form); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("POST %s: %s, want 401", action, resp.Status)
		}
	}
	if resp, _ := c.post("/signout", url.Values{}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST /signout: %s, want 401", resp.Status)
	}
	// A forged cookie is no session either.
	u, _ := url.Parse(c.base)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "rxreview", Value: randomToken()}})
	if resp, _ := c.get("/cases/" + testCase); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("forged cookie: %s, want 303", resp.Status)
	}
	if st := e.caseStatus(testCase); st != validate.StatusNeedsReview {
		t.Errorf("case status %s after refused requests, want needs-review", st)
	}
	if got := e.entries(audit.Filter{}); len(got) != 0 {
		t.Errorf("%d audit entries after refused requests, want none: %+v", len(got), got)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t, nil)
	e.seedCase(seedRecord(testCase), time.Now(), nil)
	c := e.client()

	// The sign-in form has its own token.
	if resp, _ := c.post("/signin", url.Values{"user": {testUser}, "password": {testPassword}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without token: %s, want 403", resp.Status)
	}
	csrf := c.signIn(testUser, testPassword)
	for _, tok := range []string{"", "wrong", csrf[:len(csrf)-1]} {
		for _, action := range []string{"accept", "not-rx", "edit", "office"} {
			resp, _ := c.post("/cases/"+testCase+"/"+action, url.Values{"csrf": {tok}, "frequency": {"2x/week for 6 weeks"}})
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s with token %q: %s, want 403", action, tok, resp.Status)
			}
		}
	}
	if st := e.caseStatus(testCase); st != validate.StatusNeedsReview {
		t.Fatalf("case status %s after forged requests, want needs-review", st)
	}
	// A cross-site form post is refused even with the token.
	req, _ := http.NewRequest("POST", c.base+"/cases/"+testCase+"/accept", strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := c.hc.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %v %v, want 403", resp.Status, err)
	}
	resp, _ := c.post("/cases/"+testCase+"/accept", url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusSeeOther || e.caseStatus(testCase) != validate.StatusComplete {
		t.Errorf("POST accept with token: %s, status %s; want 303 and complete", resp.Status, e.caseStatus(testCase))
	}
}

func signinForm(t *testing.T, h http.Handler, remote, user, password string) int {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/signin", nil)
	req.RemoteAddr = remote
	h.ServeHTTP(rec, req)
	tok := csrfOf(t, rec.Body.String())
	form := url.Values{"csrf": {tok}, "user": {user}, "password": {password}}
	req = httptest.NewRequest("POST", "/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: signinCookie, Value: tok})
	req.RemoteAddr = remote
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func TestLockout(t *testing.T) {
	now := setClock(t, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	e := newEnv(t, nil)
	if _, err := e.users.Set("bob", "another long password"); err != nil {
		t.Fatal(err)
	}
	h := e.srv.Handler()

	t.Run("per user", func(t *testing.T) {
		for i := range MaxFailures {
			// From a new address each time: the user name is what locks.
			if code := signinForm(t, h, "192.0.2."+string(rune('1'+i))+":4000", testUser, "wrong password!"); code != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d, want 401", i+1, code)
			}
		}
		if code := signinForm(t, h, "198.51.100.1:4000", testUser, testPassword); code != http.StatusTooManyRequests {
			t.Fatalf("right password while locked: %d, want 429", code)
		}
		if code := signinForm(t, h, "198.51.100.1:4000", "bob", "another long password"); code != http.StatusSeeOther {
			t.Fatalf("another user: %d, want 303", code)
		}
		*now = now.Add(LockoutPeriod - time.Second)
		if code := signinForm(t, h, "198.51.100.1:4000", testUser, testPassword); code != http.StatusTooManyRequests {
			t.Fatalf("right password a second before the end: %d, want 429", code)
		}
		*now = now.Add(time.Second)
		if code := signinForm(t, h, "198.51.100.1:4000", testUser, testPassword); code != http.StatusSeeOther {
			t.Fatalf("right password after %s: %d, want 303", LockoutPeriod, code)
		}
	})
	t.Run("per address", func(t *testing.T) {
		for i := range MaxFailures {
			if code := signinForm(t, h, "203.0.113.9:5000", "nobody"+string(rune('a'+i)), "guess"); code != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d, want 401", i+1, code)
			}
		}
		if code := signinForm(t, h, "203.0.113.9:5001", "bob", "another long password"); code != http.StatusTooManyRequests {
			t.Fatalf("a user from the locked address: %d, want 429", code)
		}
		if code := signinForm(t, h, "203.0.113.10:5000", "bob", "another long password"); code != http.StatusSeeOther {
			t.Fatalf("the same user from another address: %d, want 303", code)
		}
	})

	var bad, locked, unknown int
	for _, en := range e.entries(audit.Filter{Event: audit.EventUserSignInFailed}) {
		switch en.Outcome {
		case string(audit.SignInBadPassword):
			bad++
		case string(audit.SignInLocked):
			locked++
		case string(audit.SignInUnknownUser):
			unknown++
			if en.Actor != audit.ActorAnonymous || strings.Contains(string(en.Detail), "nobody") {
				t.Errorf("unknown user recorded as %s %s", en.Actor, en.Detail)
			}
		}
	}
	if bad != 5 || locked != 3 || unknown != 5 {
		t.Errorf("trail: %d bad-password, %d locked, %d unknown-user; want 5, 3, 5", bad, locked, unknown)
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	now := setClock(t, time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	e := newEnv(t, nil)
	c := e.client()
	c.signIn(testUser, testPassword)
	*now = now.Add(29 * time.Minute)
	if resp, _ := c.get("/cases"); resp.StatusCode != http.StatusOK {
		t.Fatalf("after 29 idle minutes: %s, want 200", resp.Status)
	}
	*now = now.Add(31 * time.Minute)
	if resp, _ := c.get("/cases"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after 31 idle minutes: %s, want 303 to sign in", resp.Status)
	}
}

func TestCookies(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.secure = true
	c := e.client()
	_, body := c.get("/signin")
	resp, _ := c.post("/signin", url.Values{"csrf": {csrfOf(t, body)}, "user": {testUser}, "password": {testPassword}})
	var sess *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "__Host-rxreview" {
			sess = ck
		}
	}
	if sess == nil || !sess.HttpOnly || !sess.Secure || sess.SameSite != http.SameSiteStrictMode || sess.Path != "/" || len(sess.Value) < 40 {
		t.Errorf("session cookie %+v: want __Host-, HttpOnly, Secure, SameSite=Strict, Path=/, a long random value", sess)
	}
	if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age") {
		t.Error("no HSTS over TLS")
	}
}

// TestCaseViewAudited: viewing a case records who viewed it, and the case
// page shows what was read, the findings, the page and the timeline.
func TestCaseViewAudited(t *testing.T) {
	e := newEnv(t, nil)
	e.seedCase(seedRecord(testCase), time.Now(), testPNG(t))
	c := e.client()
	c.signIn(testUser, testPassword)
	resp, body := c.get("/cases/" + testCase)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET case: %s", resp.Status)
	}
	for _, want := range []string{"Mary Jones", "Needs review", "frequency-missing", "low-confidence", "M62.83O muscle spasm of back",
		"25%", `src="/cases/` + testCase + `/pages/1"`, "page-viewed", "user:" + testUser, "None sent."} {
		if !strings.Contains(body, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	views := e.entries(audit.Filter{CaseID: testCase, Event: audit.EventPageViewed})
	if len(views) != 1 || views[0].Actor != "user:"+testUser || !strings.Contains(string(views[0].Detail), "/cases/"+testCase) {
		t.Fatalf("page views of the case: %+v, want one by user:%s", views, testUser)
	}
	resp, img := c.get("/cases/" + testCase + "/pages/1")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || img != string(testPNG(t)) {
		t.Errorf("page image: %s %s, %d bytes", resp.Status, resp.Header.Get("Content-Type"), len(img))
	}
	if resp, _ := c.get("/cases/" + testCase + "/pages/2"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("page 2 of 1: %s, want 404", resp.Status)
	}
	if resp, _ := c.get("/cases/RX-NOSUCH"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("missing case: %s, want 404", resp.Status)
	}
}

// TestPageImageViewAudited: each view of a page image records the user, the
// case and the page, and nothing read from it; when the trail cannot be
// written the image is not sent.
func TestPageImageViewAudited(t *testing.T) {
	e := newEnv(t, nil)
	e.seedCase(seedRecord(testCase), time.Now(), testPNG(t))
	c := e.client()
	c.signIn(testUser, testPassword)
	page := "/cases/" + testCase + "/pages/1"
	for range 2 {
		if resp, img := c.get(page); resp.StatusCode != http.StatusOK || img != string(testPNG(t)) {
			t.Fatalf("GET %s: %s, %d bytes", page, resp.Status, len(img))
		}
	}
	var views []string
	for _, en := range e.entries(audit.Filter{CaseID: testCase, Event: audit.EventPageViewed}) {
		views = append(views, en.Actor+" "+en.CaseID+" "+en.Outcome+" "+string(en.Detail))
	}
	want := "user:" + testUser + " " + testCase + ` viewed {"page":"` + page + `"}`
	if !slices.Equal(views, []string{want, want}) {
		t.Fatalf("page views of the case:\n%s\nwant twice:\n%s", strings.Join(views, "\n"), want)
	}

	if _, err := e.db.Exec(`CREATE TRIGGER refuse BEFORE INSERT ON audit_trail BEGIN SELECT RAISE(ABORT, 'disk full'); END`); err != nil {
		t.Fatal(err)
	}
	resp, body := c.get(page)
	if resp.StatusCode != http.StatusServiceUnavailable || body == string(testPNG(t)) || !strings.Contains(body, "audit trail cannot be written") {
		t.Errorf("GET %s with the trail refusing: %s %q", page, resp.Status, firstLine(body))
	}
}

// firstLine is the first line of s, for messages.
func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// TestEditFrequencyThenAccept: the office manager fills in the missing
// frequency, the rules run again, and she accepts the case.
func TestEditFrequencyThenAccept(t *testing.T) {
	e := newEnv(t, nil)
	seed := seedRecord(testCase)
	e.seedCase(seed, time.Now(), nil)
	c := e.client()
	csrf := c.signIn(testUser, testPassword)

	// A frequency that is not a plan is refused with a message.
	resp, body := c.post("/cases/"+testCase+"/edit", editValues(seed, csrf, map[string]string{"frequency": "PRN"}))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "not a treatment plan") {
		t.Fatalf("PRN: %s, want 400 naming the problem", resp.Status)
	}
	resp, _ = c.post("/cases/"+testCase+"/edit", editValues(seed, csrf, map[string]string{"frequency": "2x/week for 6 weeks"}))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %s", resp.Status)
	}
	rec, err := e.store.Record(t.Context(), testCase)
	if err != nil {
		t.Fatal(err)
	}
	if f := rec.Prescription.Frequency; f == nil || f.Visits != 12 || f.Weeks != 6 || f.Confidence != 1 {
		t.Fatalf("frequency after edit: %+v, want 12 visits over 6 weeks entered with confidence 1", f)
	}
	if hasRule(rec, validate.RuleFrequencyMissing) || rec.Status != validate.StatusNeedsReview || e.caseStatus(testCase) != validate.StatusNeedsReview {
		t.Fatalf("after edit: %s (case %s) %v; want needs-review (low confidence) without frequency-missing", rec.Status, e.caseStatus(testCase), rec.Rules())
	}
	_, body = c.get("/cases/" + testCase + "?done=edited")
	if !strings.Contains(body, "12 visits over 6 weeks") || !strings.Contains(body, "The changes were saved") {
		t.Errorf("case page after edit does not show the new frequency")
	}

	resp, _ = c.post("/cases/"+testCase+"/accept", url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusSeeOther || e.caseStatus(testCase) != validate.StatusComplete {
		t.Fatalf("accept: %s, case %s; want 303 and complete", resp.Status, e.caseStatus(testCase))
	}
	var events []string
	for _, en := range e.entries(audit.Filter{CaseID: testCase}) {
		if en.Event != audit.EventPageViewed {
			events = append(events, en.Actor+" "+en.Event+" "+en.Outcome+" "+string(en.Detail))
		}
	}
	want := []string{
		`user:alice case-edited needs-review {"fields":["frequency"],"from":"needs-review","to":"needs-review"}`,
		`user:alice case-overridden complete {"from":"needs-review","to":"complete","rules":["low-confidence"]}`,
	}
	if !slices.Equal(events, want) {
		t.Errorf("trail of the case:\n%s\nwant\n%s", strings.Join(events, "\n"), strings.Join(want, "\n"))
	}
	// Decided: no more actions.
	if resp, _ := c.post("/cases/"+testCase+"/accept", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("second accept: %s, want 409", resp.Status)
	}
}

func TestEditFields(t *testing.T) {
	e := newEnv(t, nil)
	seed := seedRecord(testCase)
	e.seedCase(seed, time.Now(), nil)
	c := e.client()
	csrf := c.signIn(testUser, testPassword)
	v := editValues(seed, csrf, map[string]string{"frequency": "12 visits over 4 weeks", "session": "4 units",
		"diagnoses": "M54.50, m62.830, M54.5"})
	v.Del("signature")
	v["area"] = []string{"cervical", "lumbar"}
	v["cpt"] = []string{"97124"}
	if resp, body := c.post("/cases/"+testCase+"/edit", v); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %s\n%.1500s", resp.Status, body)
	}
	rec, _ := e.store.Record(t.Context(), testCase)
	rx := rec.Prescription
	if rx.Session.Units != 4 || !slices.Equal(rx.Areas, []string{"cervical", "lumbar"}) || len(rx.Procedures) != 1 || rx.Procedures[0].CPT != "97124" ||
		rx.Signature.Present || len(rx.Diagnoses) != 3 || !rx.Diagnoses[2].Header {
		t.Fatalf("after edit: %+v", rx)
	}
	for _, rule := range []string{validate.RuleSignatureMissing, validate.RuleModalityUnspecific, validate.RuleDiagnosisInvalid} {
		if !hasRule(rec, rule) {
			t.Errorf("no %s finding after the edit: %v", rule, rec.Rules())
		}
	}
	ed := e.entries(audit.Filter{Event: audit.EventCaseEdited})
	if len(ed) != 1 || string(ed[0].Detail) != `{"fields":["frequency","session","areas","modality","diagnoses","signature"],"from":"needs-review","to":"needs-correction"}` {
		t.Errorf("case-edited: %+v", ed)
	}
}

func TestDismiss(t *testing.T) {
	e := newEnv(t, nil)
	e.seedCase(seedRecord(testCase), time.Now(), nil)
	c := e.client()
	csrf := c.signIn(testUser, testPassword)
	if resp, _ := c.post("/cases/"+testCase+"/not-rx", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("not-rx: %s", resp.Status)
	}
	if st := e.caseStatus(testCase); st != casefile.StatusNotPrescription {
		t.Errorf("status %s, want %s", st, casefile.StatusNotPrescription)
	}
	ev := e.entries(audit.Filter{Event: audit.EventCaseDismissed})
	if len(ev) != 1 || ev[0].Actor != "user:alice" || ev[0].Outcome != "not-a-prescription" {
		t.Errorf("case-dismissed: %+v", ev)
	}
}

func TestSendNow(t *testing.T) {
	fs := &fakeNotifier{}
	e := newEnv(t, fs)
	rec := seedRecord(testCase)
	rec.Prescription.Diagnoses[1].Confidence = 0.95 // no review reason: needs-correction
	rec = recheck(rec)
	e.seedCase(rec, time.Now(), nil)
	c := e.client()
	csrf := c.signIn(testUser, testPassword)
	if _, body := c.get("/cases/" + testCase); !strings.Contains(body, "Send the correction request now") {
		t.Fatal("no send button for a needs-correction case of a known office")
	}
	if resp, _ := c.post("/cases/"+testCase+"/send", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %s", resp.Status)
	}
	if !slices.Equal(fs.sent, []string{testCase}) {
		t.Errorf("sent %v", fs.sent)
	}
	if ev := e.entries(audit.Filter{Event: audit.EventCorrectionRequested}); len(ev) != 1 || ev[0].Outcome != "requested" {
		t.Errorf("correction-requested: %+v", ev)
	}

	// Without a sender there is no button.
	e2 := newEnv(t, nil)
	e2.seedCase(rec, time.Now(), nil)
	c2 := e2.client()
	c2.signIn(testUser, testPassword)
	if _, body := c2.get("/cases/" + testCase); strings.Contains(body, "Send the correction request now") {
		t.Error("send button shown without a sender")
	}
}

func TestCaseList(t *testing.T) {
	e := newEnv(t, nil)
	e.seedCase(seedRecord(testCase), time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), nil)
	other := seedRecord("RX-AAAAAA")
	other.Prescription.Patient.Name = "John O'Brien"
	other.Prescription.Frequency = nil
	other.Office = "Bayside Orthopedics"
	other.Status = validate.StatusComplete
	e.seedCase(other, time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), nil)
	c := e.client()
	c.signIn(testUser, testPassword)
	for _, tc := range []struct {
		query     string
		want, not []string
	}{
		{"", []string{testCase, "RX-AAAAAA", "Mary Jones"}, nil},
		{"?status=complete", []string{"RX-AAAAAA"}, []string{testCase}},
		{"?q=mary", []string{testCase}, []string{"RX-AAAAAA"}},
		{"?q=o%27brien", []string{"RX-AAAAAA"}, []string{testCase}},
		{"?q=%25", nil, []string{testCase, "RX-AAAAAA"}},
		{"?office=Bayside+Orthopedics", []string{"RX-AAAAAA"}, []string{testCase}},
		{"?from=2026-11-21", []string{"RX-AAAAAA"}, []string{testCase}},
		{"?to=2026-11-20", []string{testCase}, []string{"RX-AAAAAA"}},
	} {
		resp, body := c.get("/cases" + tc.query)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s", tc.query, resp.Status)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, `href="/cases/`+w+`"`) && !strings.Contains(body, w) {
				t.Errorf("%s: %s missing", tc.query, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(body, `href="/cases/`+n+`"`) {
				t.Errorf("%s: %s listed", tc.query, n)
			}
		}
	}
	_, body := c.get("/cases")
	if !strings.Contains(body, `Needs review</span> <span class="n">1</span>`) {
		t.Errorf("no count of needs-review cases")
	}
}

func TestAuditPageAndExport(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client()
	c.signIn(testUser, testPassword)
	resp, body := c.get("/audit")
	// The test trail signs no checkpoint: nothing anchors it.
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<strong>Unanchored.</strong> audit trail unanchored since ") || !strings.Contains(body, "user-signed-in") {
		t.Fatalf("audit page: %s", resp.Status)
	}
	resp, body = c.get("/audit/export.csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "seq,at,actor") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %s %q", resp.Status, body[:min(len(body), 100)])
	}
	if ev := e.entries(audit.Filter{Event: audit.EventTrailExported}); len(ev) != 1 || ev[0].Actor != "user:alice" {
		t.Errorf("trail-exported: %+v", ev)
	}
	// Tampering shows on the page.
	if _, err := e.db.Exec(`DROP TRIGGER audit_trail_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Exec(`UPDATE audit_trail SET actor = 'user:mallory' WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	_, body = c.get("/audit")
	if !strings.Contains(body, "Tampered.") || !strings.Contains(body, "entry 1 was changed") {
		t.Errorf("tampered trail not reported on the page")
	}
}

// TestOutboxShown: the case page shows the emails of the case's correction
// request as the notifier lists them, column by column, escaped.
func TestOutboxShown(t *testing.T) {
	sent := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	n := &fakeNotifier{emails: map[string][]notify.Email{testCase: {{
		CaseID: testCase, N: 1, Kind: "request", Office: testOffice, To: []string{"rx@gulf.example"},
		MessageID: "rx-7k3qh2.1@clinic.example", Rules: []string{"frequency-missing"}, State: "sent", Attempts: 1,
		LastError: "Dear office,\nplease add the frequency <b>now</b>.", SentAt: sent, FirstTry: sent, Created: sent, Updated: sent,
	}}}}
	e := newEnv(t, n)
	e.seedCase(seedRecord(testCase), time.Now(), nil)
	c := e.client()
	c.signIn(testUser, testPassword)
	_, body := c.get("/cases/" + testCase)
	for _, want := range []string{"<dt>rcpt</dt><dd>[&#34;rx@gulf.example&#34;]</dd>", "<dt>state</dt><dd>sent</dd>",
		"<dt>sent_at</dt><dd>2026-11-20T10:00:00.000000000Z</dd>", "please add the frequency &lt;b&gt;now&lt;/b&gt;."} {
		if !strings.Contains(body, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	if strings.Contains(body, "None sent.") {
		t.Error("case page says none sent")
	}
}

func TestStyleHash(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client()
	resp, body := c.get("/signin")
	i, j := strings.Index(body, "<style>"), strings.Index(body, "</style>")
	h := sha256.Sum256([]byte(body[i+len("<style>") : j]))
	want := "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, want) || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q does not allow the inline style sheet by its hash %s", csp, want)
	}
}

// TestLocalPath: after sign-in the browser goes only to a path on this
// site. Browsers drop tabs and line ends from a URL and read a backslash as
// a slash, so "/\t/evil.example" is "//evil.example" to them: another site.
func TestLocalPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/cases/RX-1", "/cases/RX-1"},
		{"/cases?status=needs-review&page=2", "/cases?status=needs-review&page=2"},
		{"/audit?case=RX-1#top", "/audit?case=RX-1#top"},
		{"", "/cases"},
		{"cases", "/cases"},
		{"/signin", "/cases"},
		{"/signin?next=/audit", "/cases"},
		{"/./signin", "/cases"},
		{"//evil.example", "/cases"},
		{"///evil.example", "/cases"},
		{"/\\evil.example", "/cases"},
		{"\\evil.example", "/cases"},
		{"/\t/evil.example", "/cases"},
		{"/\t\t//evil.example", "/cases"},
		{"\t//evil.example", "/cases"},
		{"/\n/evil.example", "/cases"},
		{"/\r\n/evil.example", "/cases"},
		{"/\x00/evil.example", "/cases"},
		{"/\x7f/evil.example", "/cases"},
		{"/cases\\..\\..\\evil.example", "/cases"},
		{"/%09/evil.example", "/cases"},
		{"/%5Cevil.example", "/cases"},
		{"/%5cevil.example", "/cases"},
		{"/%2F/evil.example", "/cases"},
		{"/%2f%2fevil.example", "/cases"},
		{"/%0a/evil.example", "/cases"},
		{"https://evil.example", "/cases"},
		{"https:evil.example", "/cases"},
		{"https:/evil.example", "/cases"},
		{"http:\\\\evil.example", "/cases"},
		{"javascript:alert(1)", "/cases"},
		{"JavaScript:alert(1)", "/cases"},
		{" /cases", "/cases"},
		{"/@evil.example", "/@evil.example"}, // a path on this site, harmless
	} {
		if got := localPath(tc.in); got != tc.want {
			t.Errorf("localPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSigninRedirectStaysOnSite: a sign-in link with a hostile next= takes
// the user to the case list, not to another site; the hidden field of the
// form never carries it either.
func TestSigninRedirectStaysOnSite(t *testing.T) {
	for _, next := range []string{"/%09/evil.example", "/%09%09//evil.example", "%2F%2Fevil.example", "/%5Cevil.example",
		"https:%2F%2Fevil.example", "javascript:alert(1)", "/%0D%0A/evil.example", "/%252F/evil.example"} {
		t.Run(next, func(t *testing.T) {
			e := newEnv(t, nil)
			c := e.client()
			_, body := c.get("/signin?next=" + next)
			if strings.Contains(body, "evil.example") || strings.Contains(body, "javascript") {
				t.Errorf("sign-in form carries the hostile next: %s", regexp.MustCompile(`<input type="hidden" name="next"[^>]*>`).FindString(body))
			}
			form := url.Values{"csrf": {csrfOf(t, body)}, "user": {testUser}, "password": {testPassword}}
			raw := form.Encode() + "&next=" + next
			req, _ := http.NewRequest("POST", c.base+"/signin", strings.NewReader(raw))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := c.hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/cases" {
				t.Errorf("signed in with next=%s: %s to %q, want 303 to /cases", next, resp.Status, loc)
			}
		})
	}
}

// TestSigninTokenKept: a browser that loads the sign-in page again (its
// favicon request lands there, or a second tab) keeps one token, so the
// first form still works.
func TestSigninTokenKept(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client()
	_, first := c.get("/signin")
	c.get("/signin?next=/favicon.ico")
	resp, _ := c.post("/signin", url.Values{"csrf": {csrfOf(t, first)}, "user": {testUser}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in with the first form: %s, want 303", resp.Status)
	}
}

// TestSecurityHeaders: the pages that show patient information are not
// framed, cached, sniffed or named in a Referer, and load nothing from
// elsewhere.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, nil)
	e.seedCase(seedRecord(testCase), time.Now(), testPNG(t))
	c := e.client()
	c.signIn(testUser, testPassword)
	for _, path := range []string{"/cases/" + testCase, "/cases/" + testCase + "/pages/1", "/cases", "/audit", "/audit/export.csv", "/cases/RX-NOSUCH", "/signin"} {
		resp, _ := c.get(path)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: Content-Security-Policy %q lacks %s", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-") || strings.Contains(csp, "*") {
			t.Errorf("%s: Content-Security-Policy %q allows too much", path, csp)
		}
		if got := h.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q, want no-referrer", path, got)
		}
		if got := h.Get("Cache-Control"); !strings.Contains(got, "no-store") {
			t.Errorf("%s: Cache-Control %q, want no-store", path, got)
		}
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q, want nosniff", path, got)
		}
		if got := h.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%s: X-Frame-Options %q, want DENY", path, got)
		}
	}
}
