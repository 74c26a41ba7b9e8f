package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"rxintake/casefile"
	"rxintake/config"
	"rxintake/notify"
	"rxintake/validate"
)

// newNotifier makes the notifier of a's configuration: the processor asks
// it about offices and corrected prescriptions, and the cycle ends with its
// delivery and follow-up. Without smtp.host nothing can be asked: there is no
// notifier (nil), and a case that needs correcting goes to review.
func newNotifier(ctx context.Context, a *app, log *slog.Logger) (*notify.Notifier, error) {
	if a.cfg.SMTP.Host == "" {
		log.Info("smtp.host is not set: no correction requests; cases that need one go to review")
		return nil, nil
	}
	return notify.New(ctx, a.cfg, a.db, a.trail, a.store, notify.Options{
		Logger: log,
	})
}

// previewCaseID stands for the case id in an email preview.
const previewCaseID = "RX-000000"

// printEmailPreview prints the correction request rxintake would send for
// a file read by `extract --email-preview`, or says why it would send none.
// With a configuration the office comes from its directory; without one a
// placeholder office stands in.
func printEmailPreview(w io.Writer, cfg *config.Config, haveConfig bool, rec *casefile.Record) error {
	if rec.Status != validate.StatusNeedsCorrection {
		_, err := fmt.Fprintf(w, "%s: %s: no correction request would be sent\n", rec.File, rec.Status)
		return err
	}
	c := *cfg
	if !haveConfig {
		c.Offices = []config.Office{{Name: "Example Family Medicine", Emails: []string{"office@example.invalid"}}}
		c.SMTP.From = "Massage Practice <referrals@example.invalid>"
		c.Practice = config.Practice{Name: "Massage Practice"}
	} else if c.SMTP.From == "" {
		c.SMTP.From = "rxintake <rxintake@example.invalid>"
	}
	s, err := notify.NewSettings(&c)
	if err != nil {
		return err
	}
	dir := notify.NewDirectory(c.Offices)
	npi, fax, from := "", "", ""
	if rx := rec.Prescription; rx != nil && rx.Prescriber != nil {
		npi = rx.Prescriber.NPI
	}
	if rec.Sender != nil {
		fax, from = rec.Sender.Fax, rec.Sender.Email
	}
	o, ok := dir.Lookup(npi, fax, from)
	if !ok && !haveConfig {
		o, ok = dir.Office("Example Family Medicine"), true
	}
	if !ok {
		_, err := fmt.Fprintf(w, "%s: needs-correction, but the office is not in the directory: no request would be sent (the case goes to review)\n", rec.File)
		return err
	}
	r := &casefile.Record{}
	*r = *rec
	r.CaseID = previewCaseID
	original, _ := os.ReadFile(rec.File)
	m, err := notify.Compose(notify.NewRequest(r, o, rec.File), s, 1, "", timeNow(), original)
	if err != nil {
		return err
	}
	_, err = w.Write(m.Bytes)
	return err
}
