package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// extract --email-preview prints the request for an incomplete emailed Rx,
// to the placeholder office without --config and to the directory's
// address with one, and says so when no request would go.
func TestExtractEmailPreview(t *testing.T) {
	dir := t.TempDir()
	rx := filepath.Join(dir, "unsigned.eml")
	os.WriteFile(rx, []byte(`From: "Amber" <amber@gulfcoastfm.example>
To: referrals@bayside.example
Subject: Order for your office
Date: Thu, 19 Nov 2026 16:03:00 -0500
Message-ID: <unsigned-1@gulfcoastfm.example>
Content-Type: text/plain; charset=utf-8

Anil Patel MD (NPI: 1234567893) refers our patient Samantha Vasquez, DOB 03/17/1964.
The order is dated November 19, 2026.
Myofascial release to the low back, 2x/week for 6 weeks, 60 minutes per session.
Diagnoses: M54.5 - Low back pain, M62.830 - Muscle spasm of back.
Medically necessary.
`), 0o644)
	cfgFile := filepath.Join(dir, "rxintake.yaml")
	os.WriteFile(cfgFile, []byte(`data_dir: ./data
smtp:
  host: smtp.example.com
  from: "Bayside Medical Massage <referrals@bayside.example>"
offices:
  - name: Gulf Coast Family Medicine
    emails: [rx@gulfcoastfm.example]
practice:
  name: Bayside Medical Massage
  fax: "941-321-5312"
`), 0o600)
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"extract", "--email-preview", "--quiet", rx}, []string{"To: \"Example Family Medicine\" <office@example.invalid>",
			"Subject: Corrected prescription needed: RX-000000 (patient S.V.)", "Replace M54.5 with one of its billable codes:"}},
		{[]string{"extract", "--email-preview", "--quiet", "--config", cfgFile, rx}, []string{"To: \"Gulf Coast Family Medicine\" <rx@gulfcoastfm.example>",
			"In-Reply-To: <unsigned-1@gulfcoastfm.example>", "Auto-Submitted: auto-generated"}},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), c.args, &stdout, &stderr); code != exitOK {
			t.Fatalf("%v: exit %d\n%s", c.args, code, stderr.String())
		}
		for _, w := range c.want {
			if !strings.Contains(stdout.String(), w) {
				t.Errorf("%v: output lacks %q:\n%s", c.args, w, stdout.String())
			}
		}
		if strings.Contains(stdout.String(), "Vasquez") {
			t.Errorf("the patient's name is in the email outside the attached original")
		}
	}
}
