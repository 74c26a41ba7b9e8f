package notify

import (
	"os"
	"path/filepath"
	"testing"

	"rxintake/config"
)

// An office added on the review page is in the directory at the next
// lookup, without a restart, and a second addition under the same name adds
// its addresses to the first.
func TestLocalOfficeJoinsDirectory(t *testing.T) {
	ca := newTestCA(t)
	srv := startSMTP(t, ca, "starttls")
	e := newEnv(t, srv.port, "starttls", ca.File, Options{})
	const fax = "6175550142"
	if _, ok := e.n.Office("", fax, ""); ok {
		t.Fatalf("fax %s found before the office was added", fax)
	}
	if err := AddLocalOffice(e.cfg.DataDir, config.Office{Name: "Harbor Street Clinic", Fax: []string{fax}, Emails: []string{"rx@harbor.example"}}); err != nil {
		t.Fatal(err)
	}
	if name, ok := e.n.Office("", fax, ""); !ok || name != "Harbor Street Clinic" {
		t.Fatalf("after adding: Office(fax %s) = %q, %v; want Harbor Street Clinic", fax, name, ok)
	}
	if err := AddLocalOffice(e.cfg.DataDir, config.Office{Name: "harbor street clinic", Emails: []string{"desk@harbor.example"}}); err != nil {
		t.Fatal(err)
	}
	offices, err := LocalOffices(e.cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(offices) != 1 || len(offices[0].Fax) != 1 || len(offices[0].Emails) != 2 {
		t.Fatalf("local offices = %+v; want one office with its fax and the added address", offices)
	}
	if fi, err := os.Stat(filepath.Join(e.cfg.DataDir, LocalOfficesFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("local office file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
}
