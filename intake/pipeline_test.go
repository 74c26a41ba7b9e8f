package intake_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"rxintake/casefile"
	"rxintake/casework"
	"rxintake/extract"
	"rxintake/intake"
	"rxintake/internal/sqldb"
	"rxintake/validate"
)

// faxMessage wraps a document the way fax-to-email services send it: the
// file attached as application/octet-stream, the number in the subject.
func faxMessage(n int, name string, data []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Fax Service <noreply@faxmail.example>\r\nTo: referrals@clinic.example\r\n"+
		"Subject: New fax received from 9415550143\r\nDate: Fri, 20 Nov 2026 10:%02d:00 -0500\r\n"+
		"Message-ID: <pipeline%d@faxmail.example>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"+
		"You have received a fax from 941-555-0143.\r\n--b\r\nContent-Type: application/octet-stream\r\n"+
		"Content-Disposition: attachment; filename=\"fax%d.dat\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", n%60, n, n)
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--b--\r\n")
	return b.Bytes()
}

// withMessageID gives a stored message a Message-ID of its own.
func withMessageID(msg []byte, n int) []byte {
	id := fmt.Sprintf("Message-ID: <pipeline%d@test.example>\r\n", n)
	var out []byte
	for line := range bytes.Lines(msg) {
		if bytes.HasPrefix(bytes.ToLower(line), []byte("message-id:")) {
			continue
		}
		out = append(out, line...)
	}
	return append([]byte(id), out...)
}

// TestDovecotPipeline50 runs the real pipeline (reading, rules, casework)
// over 50 mixed referrals in a real Dovecot, in one cycle: every message is
// decided once and filed to its outcome's folder, and a second cycle does
// nothing.
func TestDovecotPipeline50(t *testing.T) {
	dir := t.TempDir()
	cfg := intake.DovecotConfig(t, dir, "pipeline@clinic.example", "")
	files, _ := filepath.Glob("../testdata/*")
	var docs []string
	for _, f := range files {
		// The fixtures; not their truth and golden files, not the
		// evaluation corpus `make eval` writes under testdata/eval.
		if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() && !strings.HasSuffix(f, ".json") {
			docs = append(docs, f)
		}
	}
	if len(docs) < 15 {
		t.Fatalf("%d fixtures in testdata", len(docs))
	}
	var msgs [][]byte
	review := map[string]bool{}
	for n := 1; len(msgs) < 47; n++ {
		f := docs[n%len(docs)]
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".eml") {
			msgs = append(msgs, withMessageID(data, n))
		} else {
			msgs = append(msgs, faxMessage(n, filepath.Base(f), data))
		}
	}
	msgs = append(msgs, intake.AutoReply(91), intake.Bounce(92), intake.CorruptFax(93))
	for _, n := range []int{91, 92, 93} {
		review[fmt.Sprint(n)] = true
	}
	c := intake.Deliver(t, cfg, "INBOX", msgs...)

	ctx := context.Background()
	db, err := sqldb.Open(ctx, cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store, err := casefile.New(ctx, db, cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	ledger, err := intake.NewLedger(ctx, db, store)
	if err != nil {
		t.Fatal(err)
	}
	pool := extract.NewOCRPool(extract.OCROptions{})
	defer pool.Close()
	reader := extract.NewReader(pool, extract.DefaultLimits)
	reader.KeepImages = true
	proc := &casework.Processor{Reader: reader, Profile: validate.DefaultProfile, Store: store}
	w, err := intake.New(cfg, ledger, proc, intake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	sum, err := w.RunCycle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cycle: fetched %d, complete %d, needs-correction %d, needs-review %d, errors %d, %.1f s (wall %.1f s)",
		sum.Fetched, sum.Complete, sum.NeedsCorrection, sum.NeedsReview, sum.Errors, sum.Elapsed.Seconds(), time.Since(start).Seconds())
	if sum.Fetched != 50 || sum.Filed != 50 || sum.Errors != 0 || sum.Complete+sum.NeedsCorrection+sum.NeedsReview != 50 {
		t.Fatalf("summary %+v", sum)
	}
	if left := intake.FolderMail(t, c, "INBOX"); len(left) != 0 {
		t.Errorf("INBOX still holds %d messages", len(left))
	}
	counts := map[string]int{}
	for _, folder := range []string{intake.DvComplete, intake.DvCorrection, intake.DvReview} {
		ids := intake.FolderMail(t, c, folder)
		counts[folder] = len(ids)
		if folder != intake.DvReview {
			continue
		}
		for _, want := range []string{"auto91@test.example", "bounce92@test.example", "faxcorrupt93@test.example"} {
			if !slices.Contains(ids, want) {
				t.Errorf("%s not filed to review (review holds %v)", want, ids)
			}
		}
	}
	if counts[intake.DvComplete] != sum.Complete || counts[intake.DvCorrection] != sum.NeedsCorrection || counts[intake.DvReview] != sum.NeedsReview {
		t.Errorf("folders hold %v, summary says %+v", counts, sum)
	}
	// Each decided case has its record for the review page.
	cases, _, err := store.List(ctx, casefile.Filter{})
	records := 0
	for _, c := range cases {
		if c.Record != nil {
			records++
		}
	}
	if err != nil || len(cases) != 50 || records != 50-3+1 {
		// The auto-reply and bounce are filed without reading; the corrupt
		// fax is read and recorded.
		t.Errorf("%d cases, %d with records (%v), want 50 and %d", len(cases), records, err, 48)
	}
	again, err := w.RunCycle(ctx)
	if err != nil || again.Fetched != 0 || again.Filed != 0 {
		t.Errorf("second cycle: %+v, %v; want nothing", again, err)
	}
}
