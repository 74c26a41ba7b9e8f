//go:build e2e

// The browser test: headless Chromium signs in, opens a needs-review case,
// fills in its missing frequency, accepts it; opens a case of an office not
// in the directory, types the office (the form carries nothing of the
// message), confirms it past the warning; and takes screenshots of each
// page into $RXINTAKE_ARTIFACTS (default: a temporary directory).
//
//	apt-get install -y chromium
//	RXINTAKE_ARTIFACTS=$PWD/artifacts go test -tags e2e -run TestBrowser ./review
//
// RXINTAKE_CHROMIUM names another browser binary (default /usr/bin/chromium).

package review

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rxintake/audit"
	"rxintake/casefile"
	"rxintake/validate"
)

func chromiumPath(t *testing.T) string {
	p := os.Getenv("RXINTAKE_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("no Chromium at %s (apt-get install -y chromium, or set RXINTAKE_CHROMIUM): %v", p, err)
	}
	return p
}

// fixturePage is a page of the shared fixtures as PNG, scaled to the width
// the worker keeps, or a drawn page when the fixture is missing.
func fixturePage(t *testing.T, name string) []byte {
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		return testPNG(t)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestBrowser(t *testing.T) {
	start := time.Now()
	e := newEnv(t, &fakeNotifier{})
	e.cfg.Review.Admins = []string{testUser}
	ctx := t.Context()
	day := time.Date(2026, 11, 20, 9, 12, 0, 0, time.UTC)

	// The case of the scenario, and a few others for the list.
	seed := seedRecord(testCase)
	e.seedCase(seed, day.Add(5*time.Hour), fixturePage(t, "missing-frequency.jpg"))
	others := []struct {
		id, patient, office string
		status              casefile.Status
		hours               int
	}{
		{"RX-4M8ZQ1", "Robert Chen", "Bayside Orthopedics", casefile.StatusComplete, 1},
		{"RX-9TJ2KD", "Linda Alvarez", testOffice, casefile.StatusNeedsCorrection, 2},
		{"RX-2HX6WB", "", "", casefile.StatusNotPrescription, 3},
		{"RX-C5R7PE", "Samuel Okafor", "Palm Harbor Internal Medicine", casefile.StatusNeedsCorrection, 4},
	}
	for _, o := range others {
		r := seedRecord(o.id)
		r.Office = o.office
		if o.patient == "" {
			r.Prescription.Patient = nil
		} else {
			r.Prescription.Patient.Name = o.patient
		}
		if o.status == casefile.StatusComplete {
			r.Prescription.Frequency = nil
			r.Findings = nil
		}
		r.Status = o.status
		e.seedCase(r, day.Add(time.Duration(o.hours)*time.Hour), nil)
		if err := e.trail.CaseOpened(ctx, o.id, "<"+strings.ToLower(o.id)+"@fax.example>"); err != nil {
			t.Fatal(err)
		}
	}
	// A referral from an office not in the directory.
	const unknownCase = "RX-4TBY53"
	unknown := seedRecord(unknownCase)
	unknown.Office = ""
	unknown.Sender = &casefile.Sender{Email: "referrals@suncoastspine.example", Name: "Suncoast Spine & Pain Associates"}
	unknown.Prescription.Patient.Name = "Helen Brooks"
	unknown = recheck(unknown)
	e.seedCase(unknown, day.Add(6*time.Hour), nil)
	for _, err := range []error{
		e.trail.CaseOpened(ctx, unknownCase, "<referral-4tby53@suncoastspine.example>"),
		e.trail.CaseOpened(ctx, testCase, "<fax-20261120-1412@efax.example>"),
		e.trail.DocumentRead(ctx, testCase, audit.Document{SHA256: strings.Repeat("ab", 32), Pages: 1, OCR: true, MeanConfidence: 0.87}),
		e.trail.Findings(ctx, testCase, []audit.FindingRef{{Rule: "frequency-missing", Severity: "error"}, {Rule: "low-confidence", Severity: "warning"}}),
		e.trail.Decision(ctx, testCase, validate.StatusNeedsReview),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}

	ts := httptest.NewServer(e.srv.Handler())
	defer ts.Close()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	defer cancelBrowser()
	bctx, cancelTimeout := context.WithTimeout(bctx, 3*time.Minute)
	defer cancelTimeout()

	// The first Do starts the browser, tied to the context it is given:
	// bctx, not a step's shorter one.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", chromiumPath(t), err)
	}
	dir := artifactsDir(t)
	var shots []string
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			b, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			shots = append(shots, name)
			return os.WriteFile(filepath.Join(dir, name), b, 0o644)
		})
	}
	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for i, s := range steps {
			sctx, cancel := context.WithTimeout(bctx, 30*time.Second)
			err := chromedp.Do(sctx, s)
			cancel()
			if err != nil {
				loc, _ := chromedp.Run(bctx, chromedp.Location())
				chromedp.Do(bctx, shot("failed.png"))
				t.Fatalf("%s, step %d at %s: %v (see failed.png)", what, i+1, loc, err)
			}
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	step("open the list signed out",
		chromedp.Navigate(ts.URL+"/cases"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signin"]`)),
		shot("01-signin.png"))
	step("sign in",
		chromedp.SendKeys(chromedp.CSS(`input[name="user"]`), testUser),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`.signin button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.cases`)),
		shot("02-cases.png"))
	if got := text(`table.cases`); !strings.Contains(got, "Mary Jones") || !strings.Contains(got, "Needs review") {
		t.Fatalf("the list does not show the case:\n%s", got)
	}
	step("open the case",
		chromedp.Click(chromedp.CSS(`a[href="/cases/`+testCase+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/cases/`+testCase+`/edit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.page img`)),
		shot("03-case-needs-review.png"))
	if got := text(`table.fields`); !strings.Contains(got, "missing") {
		t.Fatalf("the frequency is not shown as missing:\n%s", got)
	}
	step("fill in the frequency",
		chromedp.SendKeys(chromedp.CSS(`input[name="frequency"]`), "2x/week for 6 weeks"),
		chromedp.Click(chromedp.CSS(`form[action="/cases/`+testCase+`/edit"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert-ok`)),
		shot("04-case-edited.png"))
	if got := text(`table.fields`); !strings.Contains(got, "12 visits over 6 weeks") {
		t.Fatalf("the new frequency is not shown:\n%s", got)
	}
	step("accept",
		chromedp.Click(chromedp.CSS(`form[action="/cases/`+testCase+`/accept"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`h1 .badge-ok`)),
		shot("05-case-accepted.png"))
	officeForm := `form[action="/cases/` + unknownCase + `/office"]`
	step("open the case of an unknown office",
		chromedp.Navigate(ts.URL+"/cases/"+unknownCase),
		chromedp.WaitVisible(chromedp.CSS(officeForm)),
		shot("06-case-unknown-office.png"))
	for _, field := range []string{"name", "emails", "fax", "npi"} {
		v, err := chromedp.Run(bctx, chromedp.Value(chromedp.CSS(officeForm+` input[name="`+field+`"]`)))
		if err != nil || v != "" {
			t.Errorf("office form field %s: %q %v, want it empty", field, v, err)
		}
	}
	step("type the office",
		chromedp.SendKeys(chromedp.CSS(officeForm+` input[name="name"]`), "Suncoast Spine & Pain Associates"),
		chromedp.SendKeys(chromedp.CSS(officeForm+` input[name="emails"]`), "referrals@suncoastspine.example"),
		chromedp.SendKeys(chromedp.CSS(officeForm+` input[name="fax"]`), "941-555-0177"),
		chromedp.Click(chromedp.CSS(officeForm+` button[type="submit"]`)),
		chromedp.WaitReady(chromedp.CSS(`input[name="confirm"][value="yes"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert-warn`)),
		shot("07-office-confirm.png"))
	if got := text(`.alert-warn`); !strings.Contains(got, "came from") {
		t.Errorf("the confirmation does not warn that the address is the message's own: %q", got)
	}
	step("confirm the office",
		chromedp.Click(chromedp.CSS(`form[action="/cases/`+unknownCase+`/office"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert-ok`)),
		shot("08-office-added.png"))
	if got := text(`dl.facts`); !strings.Contains(got, "Suncoast Spine & Pain Associates") {
		t.Errorf("the case does not show its new office:\n%s", got)
	}
	step("the list afterwards",
		chromedp.Navigate(ts.URL+"/cases"),
		chromedp.WaitVisible(chromedp.CSS(`table.cases`)),
		shot("09-cases-after.png"))
	step("the audit trail",
		chromedp.Navigate(ts.URL+"/audit"),
		chromedp.WaitVisible(chromedp.CSS(`.verify`)),
		shot("10-audit.png"))
	// The test trail signs no checkpoint: the page says nothing anchors it.
	if got := text(`.verify`); !strings.Contains(got, "Unanchored.") {
		t.Errorf("audit page: %q", got)
	}

	if st := e.caseStatus(testCase); st != casefile.StatusComplete {
		t.Errorf("case status %s, want complete", st)
	}
	var events []string
	for _, en := range e.entries(audit.Filter{CaseID: testCase}) {
		if en.Actor == "user:"+testUser {
			events = append(events, en.Event)
		}
	}
	if !slices.Contains(events, audit.EventCaseEdited) || !slices.Contains(events, audit.EventCaseOverridden) || !slices.Contains(events, audit.EventPageViewed) {
		t.Errorf("the user's events on the case: %v", events)
	}
	added := e.entries(audit.Filter{Event: audit.EventOfficeAdded})
	if len(added) != 1 || added[0].Actor != "user:"+testUser || added[0].CaseID != unknownCase ||
		!strings.Contains(string(added[0].Detail), `"warnings":["sender-address"]`) {
		t.Errorf("office-added: %+v", added)
	}
	t.Logf("%d screenshots in %s: %s (%.1fs)", len(shots), dir, strings.Join(shots, ", "), time.Since(start).Seconds())
}
