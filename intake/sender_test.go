package intake

import (
	"strings"
	"testing"

	"rxintake/config"
)

func TestVerifySender(t *testing.T) {
	const ours = "mx.clinic.example"
	in := config.Intake{AuthservID: ours, FaxSenders: []string{"@faxmail.example", "message@inbound.efax.example"}}
	tests := []struct {
		name, from, header string
		in                 config.Intake
		verified, fax      bool
		why                string
	}{
		{"dmarc pass", "rx@gulfcoastfm.example",
			"Authentication-Results: mx.clinic.example; spf=pass smtp.mailfrom=gulfcoastfm.example; dkim=pass header.d=gulfcoastfm.example; dmarc=pass (p=reject) header.from=gulfcoastfm.example",
			in, true, false, "not one of intake.fax_senders"},
		{"dkim pass of the From domain without dmarc", "rx@gulfcoastfm.example",
			"Authentication-Results: mx.clinic.example 1; dkim=pass (2048-bit key) header.d=gulfcoastfm.example header.i=@gulfcoastfm.example",
			in, true, false, ""},
		{"dkim pass of a parent domain", "rx@mail.gulfcoastfm.example",
			"Authentication-Results: mx.clinic.example; dkim=pass header.d=gulfcoastfm.example",
			in, true, false, ""},
		{"dkim pass but dmarc fail", "rx@gulfcoastfm.example",
			"Authentication-Results: mx.clinic.example; dkim=pass header.d=gulfcoastfm.example; dmarc=fail header.from=gulfcoastfm.example",
			in, false, false, "dmarc=fail"},
		{"dkim pass of another domain", "rx@gulfcoastfm.example",
			"Authentication-Results: mx.clinic.example; dkim=pass header.d=attacker.example; dmarc=none",
			in, false, false, "no dmarc=pass or dkim=pass"},
		{"dmarc pass of another From domain", "rx@gulfcoastfm.example",
			"Authentication-Results: mx.clinic.example; dmarc=pass header.from=attacker.example",
			in, false, false, "no dmarc=pass or dkim=pass"},
		{"spf pass alone", "rx@gulfcoastfm.example",
			"Authentication-Results: mx.clinic.example; spf=pass smtp.mailfrom=gulfcoastfm.example",
			in, false, false, "no dmarc=pass or dkim=pass"},
		{"no header", "rx@gulfcoastfm.example", "", in, false, false, "no Authentication-Results header of mx.clinic.example"},
		{"foreign authserv-id only", "rx@gulfcoastfm.example",
			"Authentication-Results: mx.gulfcoastfm.example; dkim=pass header.d=gulfcoastfm.example; dmarc=pass header.from=gulfcoastfm.example",
			in, false, false, "no Authentication-Results header of mx.clinic.example"},
		{"spoofed pass below ours", "rx@gulfcoastfm.example",
			"Authentication-Results: mx.clinic.example; dkim=none; dmarc=none\r\n" +
				"Received: from attacker.example\r\n" +
				"Authentication-Results: mx.clinic.example; dkim=pass header.d=gulfcoastfm.example; dmarc=pass header.from=gulfcoastfm.example",
			in, false, false, "no dmarc=pass or dkim=pass"},
		{"ours on top of a foreign fail", "rx@gulfcoastfm.example",
			"Authentication-Results: mx.clinic.example; dmarc=pass header.from=gulfcoastfm.example\r\n" +
				"Authentication-Results: relay.example; dmarc=fail",
			in, true, false, ""},
		{"pass hidden in a comment", "rx@gulfcoastfm.example",
			"Authentication-Results: mx.clinic.example; dkim=fail (dkim=pass header.d=gulfcoastfm.example) header.d=gulfcoastfm.example",
			in, false, false, "no dmarc=pass or dkim=pass"},
		{"pass hidden in a quoted value", "rx@gulfcoastfm.example",
			`Authentication-Results: mx.clinic.example; spf=fail smtp.mailfrom="x; dkim=pass header.d=gulfcoastfm.example"@attacker.example`,
			in, false, false, "no dmarc=pass or dkim=pass"},
		{"authserv-id in another case, spaces around =", "rx@GulfCoastFM.example",
			"Authentication-Results: MX.Clinic.Example;\r\n\tdmarc = pass header.from = gulfcoastfm.example",
			in, true, false, ""},
		{"no authserv_id configured", "rx@gulfcoastfm.example",
			"Authentication-Results: mx.clinic.example; dmarc=pass header.from=gulfcoastfm.example",
			config.Intake{FaxSenders: in.FaxSenders}, false, false, "intake.authserv_id is not set"},
		{"fax service by domain", "noreply@faxmail.example",
			"Authentication-Results: mx.clinic.example; dmarc=pass header.from=faxmail.example",
			in, true, true, ""},
		{"fax service by address", "message@inbound.efax.example",
			"Authentication-Results: mx.clinic.example; dkim=pass header.d=efax.example",
			in, true, true, ""},
		{"fax service's address, not verified", "noreply@faxmail.example",
			"Authentication-Results: mx.clinic.example; dkim=fail header.d=faxmail.example; dmarc=fail",
			in, false, false, "dmarc=fail"},
		{"another address of the fax service's parent domain", "noreply@other.efax.example",
			"Authentication-Results: mx.clinic.example; dkim=pass header.d=efax.example",
			in, true, false, "not one of intake.fax_senders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := "From: " + tt.from + "\r\n"
			if tt.header != "" {
				raw = tt.header + "\r\n" + raw
			}
			p, err := parseHeader([]byte(raw + "Subject: Rx\r\n\r\nbody\r\n"))
			if err != nil {
				t.Fatal(err)
			}
			got := verifySender(p.header, p.from, tt.in)
			if got.Verified != tt.verified || got.FaxService != tt.fax || !strings.Contains(got.Why, tt.why) {
				t.Errorf("verifySender = %+v, want verified %v, fax service %v, why containing %q", got, tt.verified, tt.fax, tt.why)
			}
			if got.Verified && got.FaxService && got.Why != "" {
				t.Errorf("a trusted sender has a reason %q", got.Why)
			}
		})
	}
}

func FuzzParseAuthResults(f *testing.F) {
	f.Add("mx.clinic.example 1; dkim=pass (ok) header.d=a.example; dmarc=fail header.from=\"a;b\"")
	f.Add("mx; none")
	f.Fuzz(func(t *testing.T, v string) {
		id, results, ok := parseAuthResults(v)
		if !ok && (id != "" || results != nil) {
			t.Errorf("not ok, but id %q, results %v", id, results)
		}
		for _, r := range results {
			if r.method != strings.ToLower(r.method) {
				t.Errorf("method %q not in lower case", r.method)
			}
		}
	})
}
