package notify

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"rxintake/casefile"
	"rxintake/config"
	"rxintake/extract"
	"rxintake/validate"
)

// No corrected Rx: one reminder in the same thread after 3 business days,
// then review 3 business days after the reminder.
func TestFollowUp(t *testing.T) { eachBackend(t, testFollowUp) }

func testFollowUp(t *testing.T, backend string) {
	ca := newTestCA(t)
	srv := startSMTP(t, ca, "implicit")
	e := newEnvOn(t, backend, srv.port, "implicit", ca.File, Options{})
	// Friday 2026-11-20 09:00: the request goes out.
	id := e.decide(rxMissingSignature(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)))
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	// Tuesday 08:59: two business days and 23:59 later, nothing.
	e.clock.add(4*24*time.Hour - time.Minute)
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("%d sent before the reminder is due", n)
	}
	// Wednesday 09:00: the reminder.
	e.clock.add(24*time.Hour + time.Minute)
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 2 {
		t.Fatalf("%d sent, want the request and its reminder", len(got))
	}
	_, text, _, _ := parts(t, got[1].Data)
	h, _, _, _ := parts(t, got[1].Data)
	if irt, _ := h.MsgIDList("In-Reply-To"); len(irt) != 1 || irt[0] != "rxintake."+id+".1@bayside.example" {
		t.Errorf("reminder In-Reply-To %v", irt)
	}
	if !contains(text, "We wrote to you on 2026-11-20") {
		t.Errorf("reminder text:\n%s", text)
	}
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.messages()); n != 2 {
		t.Errorf("%d sent; one reminder only", n)
	}
	// Monday 2026-11-30 09:00: three business days after the reminder.
	e.clock.add(5 * 24 * time.Hour)
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	if st := e.caseStatus(id); st != "needs-review" {
		t.Errorf("case %q, want needs-review", st)
	}
	want := []string{"correction-queued/queued", "correction-sent/sent", "correction-reminded/sent", "decision/needs-review"}
	if ev := e.events(id); !slices.Equal(ev, want) {
		t.Errorf("trail %v, want %v", ev, want)
	}
	if n := len(srv.messages()); n != 2 {
		t.Errorf("%d sent, want 2", n)
	}
}

// contains looks for sub in text folded to single spaces.
func contains(text, sub string) bool {
	return strings.Contains(strings.Join(strings.Fields(text), " "), sub)
}

func TestAddBusinessDays(t *testing.T) {
	for _, c := range []struct{ from, want string }{
		{"2026-11-20", "2026-11-25"}, // Friday -> Wednesday
		{"2026-11-23", "2026-11-26"}, // Monday -> Thursday
		{"2026-11-21", "2026-11-25"}, // Saturday -> Wednesday
		{"2026-11-25", "2026-11-30"}, // Wednesday -> Monday
	} {
		from, _ := time.Parse("2006-01-02", c.from)
		if got := AddBusinessDays(from, 3).Format("2006-01-02"); got != c.want {
			t.Errorf("%s + 3 business days = %s, want %s", c.from, got, c.want)
		}
	}
}

// The office answers: by reply (threading), by the reference in the
// subject, or by fax with the same patient. A complete corrected Rx closes
// the case; an incomplete one gets a new request in the same thread.
func TestCorrectedRx(t *testing.T) { eachBackend(t, testCorrectedRx) }

func testCorrectedRx(t *testing.T, backend string) {
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	ca := newTestCA(t)
	srv := startSMTP(t, ca, "implicit")
	e := newEnvOn(t, backend, srv.port, "implicit", ca.File, Options{})
	ctx := context.Background()

	t.Run("reply", func(t *testing.T) {
		id := e.decide(rxMissingSignature(asOf))
		if err := e.cycle(); err != nil {
			t.Fatal(err)
		}
		fixed := rxComplete(asOf)
		fixed.Prescription.Patient.Name = "S. Vasquez" // the reply threads; the name need not match
		fixed.Email = &casefile.EmailRef{MessageID: "reply1@gulfcoastfm.example", Subject: "Re: your request",
			InReplyTo: []string{"rxintake." + id + ".1@bayside.example"}}
		newID := e.decide(fixed)
		if fixed.Corrects != id {
			t.Fatalf("corrected Rx linked to %q, want %q", fixed.Corrects, id)
		}
		if err := e.cycle(); err != nil {
			t.Fatal(err)
		}
		if st := e.caseStatus(id); st != casefile.StatusCorrected {
			t.Errorf("old case %q, want %s", st, casefile.StatusCorrected)
		}
		if st := e.caseStatus(newID); st != "complete" {
			t.Errorf("new case %q", st)
		}
		if ev := e.events(id); !slices.Contains(ev, "corrected-rx-linked/linked") {
			t.Errorf("trail %v", ev)
		}
		// Days later: no reminder for a corrected case.
		e.clock.add(10 * 24 * time.Hour)
		if err := e.cycle(); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.messages()); n != 1 {
			t.Errorf("%d sent, want the request only", n)
		}
	})

	t.Run("fax-same-patient-still-incomplete", func(t *testing.T) {
		before := len(srv.messages())
		id := e.decide(rxMissingSignature(asOf))
		if err := e.cycle(); err != nil {
			t.Fatal(err)
		}
		// The office faxes a signed Rx that still carries M54.5.
		fixed := rxMissingSignature(asOf)
		fixed.Prescription.Signature = extract.Signature{Present: true, Kind: "wet"}
		fixed.Findings = slicesDeleteRule(fixed.Findings, "signature-missing")
		fixed.Email, fixed.Sender = nil, &casefile.Sender{Fax: "9415550143", FaxService: true}
		newID := e.decide(fixed)
		if fixed.Corrects != id {
			t.Fatalf("linked to %q, want %q", fixed.Corrects, id)
		}
		if err := e.cycle(); err != nil {
			t.Fatal(err)
		}
		got := srv.messages()[before:]
		if len(got) != 2 {
			t.Fatalf("%d sent, want the request and the new one", len(got))
		}
		h, text, _, _ := parts(t, got[1].Data)
		if mid, _ := h.MessageID(); mid != "rxintake."+newID+".1@bayside.example" {
			t.Errorf("new request Message-ID %q", mid)
		}
		if refs, _ := h.MsgIDList("References"); !slices.Contains(refs, "rxintake."+id+".1@bayside.example") {
			t.Errorf("new request References %v: not in the old thread", refs)
		}
		if !contains(text, "Thank you for the corrected prescription for our case "+id) {
			t.Errorf("text:\n%s", text)
		}
		// A reply to the first request now answers the new case.
		late := rxComplete(asOf)
		late.Email = &casefile.EmailRef{MessageID: "reply2@gulfcoastfm.example", InReplyTo: []string{"rxintake." + id + ".1@bayside.example"}}
		if got, ok, err := e.n.Correcting(ctx, late); err != nil || !ok || got != newID {
			t.Errorf("reply to the first request answers %q %v %v, want %q", got, ok, err, newID)
		}
	})

	t.Run("subject-reference", func(t *testing.T) {
		id := e.decide(rxMissingSignature(asOf))
		fixed := rxComplete(asOf)
		fixed.Prescription.Patient.DOB = "" // no patient match possible
		fixed.Email = &casefile.EmailRef{MessageID: "x@gulfcoastfm.example", Subject: "Corrected Rx for " + id}
		e.decide(fixed)
		if fixed.Corrects != id {
			t.Errorf("linked to %q, want %q", fixed.Corrects, id)
		}
	})

	// A reference to the case, in the subject or the thread, answers it
	// only from the case's office, verified: anyone may write a case id.
	t.Run("reference-not-from-the-office", func(t *testing.T) {
		id := e.decide(rxMissingSignature(asOf))
		for _, tt := range []struct {
			name   string
			sender *casefile.Sender
			email  *casefile.EmailRef
		}{
			{"subject, unverified office address", &casefile.Sender{Email: "amber@gulfcoastfm.example"},
				&casefile.EmailRef{MessageID: "s1@gulfcoastfm.example", Subject: "Corrected Rx for " + id}},
			{"thread, unverified office address", &casefile.Sender{Email: "amber@gulfcoastfm.example"},
				&casefile.EmailRef{MessageID: "s2@gulfcoastfm.example", InReplyTo: []string{"rxintake." + id + ".1@bayside.example"}}},
			{"subject, another office's verified address", &casefile.Sender{Email: "orders@lwrortho.example", Verified: true},
				&casefile.EmailRef{MessageID: "s3@lwrortho.example", Subject: "Re: " + id}},
			{"subject, the office's fax number from an unverified sender", &casefile.Sender{Email: "x@attacker.example", Fax: "9415550143"},
				&casefile.EmailRef{MessageID: "s4@attacker.example", Subject: "Fax from 9415550143 re " + id}},
		} {
			fixed := rxComplete(asOf)
			fixed.Prescription.Patient.DOB = "" // no patient match possible
			fixed.Prescription.Prescriber.NPI = ""
			fixed.Sender, fixed.Email = tt.sender, tt.email
			newID := e.decide(fixed)
			if fixed.Corrects != "" {
				t.Errorf("%s: linked to %s", tt.name, fixed.Corrects)
			}
			if st := e.caseStatus(newID); st != casefile.StatusNeedsReview {
				t.Errorf("%s: new case %s, want needs-review", tt.name, st)
			}
		}
		if st := e.caseStatus(id); st != casefile.StatusNeedsCorrection {
			t.Errorf("the case named: %s, want still needs-correction", st)
		}
	})

	t.Run("another-office-same-patient", func(t *testing.T) {
		id := e.decide(rxMissingSignature(asOf))
		other := rxComplete(asOf)
		other.Email, other.Sender = nil, &casefile.Sender{Fax: "9415550188", FaxService: true} // Lakewood Ranch Orthopedics
		other.Prescription.Prescriber.NPI = ""
		e.decide(other)
		if other.Corrects != "" {
			t.Errorf("an Rx from another office linked to %s", other.Corrects)
		}
		if st := e.caseStatus(id); st != "needs-correction" {
			t.Errorf("case %s", st)
		}
	})
}

func slicesDeleteRule(fs []validate.Finding, rule string) []validate.Finding {
	return slices.DeleteFunc(fs, func(f validate.Finding) bool { return f.Rule == rule })
}

// The daily caps: 5 per office, 8 in all; what is over waits a day.
func TestDailyCaps(t *testing.T) { eachBackend(t, testDailyCaps) }

func testDailyCaps(t *testing.T, backend string) {
	ca := newTestCA(t)
	srv := startSMTP(t, ca, "implicit")
	e := newEnvOn(t, backend, srv.port, "implicit", ca.File, Options{})
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	names := []string{"Ann Able", "Bob Baker", "Cy Cole", "Di Dunn", "Ed Ey", "Flo Fay", "Gus Gill"}
	for i, name := range names {
		r := rxMissingSignature(asOf)
		r.Prescription.Patient = &extract.Patient{Name: name, DOB: "1960-01-0" + string(rune('1'+i))}
		e.decide(r)
		e.clock.add(time.Second) // requests go out in the order they were queued
	}
	for i, name := range []string{"Hal Hunt", "Ida Ives", "Jo Jay", "Kim Kay"} {
		r := rxMissingSignature(asOf)
		r.Prescription.Patient = &extract.Patient{Name: name, DOB: "1970-01-0" + string(rune('1'+i))}
		r.Email, r.Sender = nil, &casefile.Sender{Fax: "9415550188", FaxService: true}
		r.Prescription.Prescriber.NPI = "1245319599"
		e.decide(r)
		e.clock.add(time.Second)
	}
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	count := func() map[string]int {
		m := map[string]int{}
		for _, r := range srv.messages() {
			m[r.To[0]]++
		}
		return m
	}
	if c := count(); c["rx@gulfcoastfm.example"] != 5 || c["orders@lwrortho.example"] != 3 {
		t.Errorf("first day %v, want 5 to Gulf Coast and 3 to Lakewood (8 in all)", c)
	}
	e.clock.add(24 * time.Hour)
	if err := e.cycle(); err != nil {
		t.Fatal(err)
	}
	if c := count(); c["rx@gulfcoastfm.example"] != 7 || c["orders@lwrortho.example"] != 4 {
		t.Errorf("second day %v, want all 11", c)
	}
}

func TestDirectory(t *testing.T) {
	d := NewDirectory([]config.Office{
		{Name: "Gulf Coast", Emails: []string{"rx@gulfcoastfm.example"}, Fax: []string{"(941) 555-0143"}, NPI: []string{"1234567893"}},
		{Name: "Ortho", Emails: []string{"Orders@LWROrtho.example"}, Fax: []string{"9415550188"}, NPI: []string{"1245319599", "1234567893"}},
		{Name: "Solo", Emails: []string{"drsmith@gmail.com"}, NPI: []string{"1000000004"}},
		{Name: "Fax only", Fax: []string{"9415550199"}},
	})
	for _, c := range []struct {
		npi, fax, from, want string
	}{
		{"", "941-555-0143", "", "Gulf Coast"},
		{"", "", "amber@gulfcoastfm.example", "Gulf Coast"},            // domain of a directory address
		{"", "", "someone@lwrortho.example", "Ortho"},                  // case-insensitive
		{"1245319599", "", "", "Ortho"},                                // NPI when the transport names none
		{"1234567893", "", "", ""},                                     // an NPI of two offices names none
		{"1234567893", "9415550188", "", "Ortho"},                      // the sending fax decides
		{"", "", "patient@gmail.com", ""},                              // a shared provider: exact address only
		{"", "", "DrSmith@gmail.com", "Solo"},                          // the exact address
		{"", "9415550199", "", ""},                                     // no email address to ask
		{"", "9415550143", "x@lwrortho.example", ""},                   // fax and address disagree
		{"", "", "rx@gulfcoastfm.example.evil.example", ""},            // not the domain
		{"9999999999", "5555555555", "stranger@elsewhere.example", ""}, // unknown
	} {
		o, ok := d.Lookup(c.npi, c.fax, c.from)
		got := ""
		if ok {
			got = o.Name
		}
		if got != c.want {
			t.Errorf("Lookup(%q, %q, %q) = %q, want %q", c.npi, c.fax, c.from, got, c.want)
		}
	}
	if o, _ := d.Lookup("", "9415550188", ""); o == nil || o.Emails[0] != "orders@lwrortho.example" {
		t.Errorf("addresses are kept bare and lower case: %v", o)
	}
}

// The review page's "send now": a case a person looked at gets its request
// at once; a second press is refused.
func TestSendNow(t *testing.T) { eachBackend(t, testSendNow) }

func testSendNow(t *testing.T, backend string) {
	ca := newTestCA(t)
	srv := startSMTP(t, ca, "implicit")
	e := newEnvOn(t, backend, srv.port, "implicit", ca.File, Options{})
	r := rxMissingSignature(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	r.Status = "needs-review" // e.g. read with low confidence: no request by itself
	id := e.decide(r)
	if err := e.cycle(); err != nil || len(srv.messages()) != 0 {
		t.Fatalf("a case in review was asked for: %v, %d sent", err, len(srv.messages()))
	}
	if err := e.n.SendNow(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if got := srv.messages(); len(got) != 1 || got[0].To[0] != "rx@gulfcoastfm.example" {
		t.Fatalf("sent %v", got)
	}
	if err := e.n.SendNow(context.Background(), id); !errors.Is(err, ErrAlreadySent) {
		t.Errorf("second send now: %v, want ErrAlreadySent", err)
	}
	if ev := e.events(id); !slices.Equal(ev, []string{"correction-queued/queued", "correction-sent/sent"}) {
		t.Errorf("trail %v", ev)
	}
}

// A correction request attaches the document only when it came from a
// verified sender (or not by email at all): the practice's address relays
// no stranger's file to an office. An office found by the NPI still gets
// the request, without the file.
func TestAttachOnlyFromVerifiedSender(t *testing.T) {
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	ca := newTestCA(t)
	srv := startSMTP(t, ca, "implicit")
	e := newEnv(t, srv.port, "implicit", ca.File, Options{})
	original := filepath.Join(t.TempDir(), "original.eml")
	if err := os.WriteFile(original, []byte("From: amber@gulfcoastfm.example\r\nSubject: Order\r\n\r\nthe order\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		sender *casefile.Sender
		email  bool
		attach bool
	}{
		{"verified email", &casefile.Sender{Email: "amber@gulfcoastfm.example", Verified: true}, true, true},
		{"unverified email", &casefile.Sender{Email: "amber@gulfcoastfm.example"}, true, false},
		{"unverified email from the fax service's address", &casefile.Sender{Email: "noreply@faxmail.example", Fax: "9415550143"}, true, false},
		{"fax service", &casefile.Sender{Email: "noreply@faxmail.example", Fax: "9415550143", Verified: true, FaxService: true}, true, true},
		{"not by email", &casefile.Sender{Fax: "9415550143", FaxService: true}, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.messages())
			r := rxMissingSignature(asOf)
			r.Prescription.Patient.Name = "Pat " + strings.ReplaceAll(tt.name, " ", "")
			r.Sender, r.Original = tt.sender, original
			if !tt.email {
				r.Email = nil
			}
			id := e.decide(r)
			if r.Office != "Gulf Coast Family Medicine" {
				t.Fatalf("office %q, want Gulf Coast Family Medicine (by its NPI)", r.Office)
			}
			if err := e.cycle(); err != nil {
				t.Fatal(err)
			}
			got := srv.messages()[before:]
			if len(got) != 1 {
				t.Fatalf("%d sent for %s, want the request", len(got), id)
			}
			_, text, _, att := parts(t, got[0].Data)
			if (len(att) == 1) != tt.attach {
				t.Errorf("%d attachments, want attached %v\n%s", len(att), tt.attach, text)
			}
		})
	}
}
