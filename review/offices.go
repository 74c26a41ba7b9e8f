package review

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"rxintake/config"
	"rxintake/extract"
	"rxintake/internal/safeio"
)

// The office directory lives in the configuration file, which rxintake
// never writes. Offices the office manager adds on the page go to
// data_dir/offices.local.yaml instead, in the shape of the configuration's
// `offices:` list, so that the configuration (or the notify stage) can read
// it with the same struct and merge it with the configured offices
// (LocalOffices). Who added which office, and when, is in the audit trail.

// LocalOfficesFile is the file under data_dir holding offices added on the
// review page.
const LocalOfficesFile = "offices.local.yaml"

// ErrOffice reports an office that cannot be added as given.
var ErrOffice = errors.New("review: office")

type localOffices struct {
	Offices []config.Office `yaml:"offices"`
}

// LocalOffices reads the offices added on the review page in dataDir. A
// missing file holds none.
func LocalOffices(dataDir string) ([]config.Office, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, LocalOfficesFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOffice, err)
	}
	var lo localOffices
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&lo); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrOffice, LocalOfficesFile, err)
	}
	return lo.Offices, nil
}

// normalizeOffice checks an office as typed on the page and returns it in
// the configuration's form.
func normalizeOffice(name, emails, faxes, npis string) (config.Office, error) {
	o := config.Office{Name: strings.TrimSpace(name)}
	if o.Name == "" || len(o.Name) > 128 || strings.ContainsAny(o.Name[:1], "=+-@") || strings.IndexFunc(o.Name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return o, fmt.Errorf("%w: the name must be 1-128 printable characters, not starting with = + - @", ErrOffice)
	}
	for _, e := range splitList(emails) {
		a, err := mail.ParseAddress(e)
		if err != nil || a.Name != "" || strings.ContainsAny(a.Address, "\"\\ ") {
			return o, fmt.Errorf("%w: %q is not a bare email address", ErrOffice, e)
		}
		o.Emails = append(o.Emails, strings.ToLower(a.Address))
	}
	for _, f := range splitList(faxes) {
		n := config.NormalizePhone(f)
		if n == "" {
			return o, fmt.Errorf("%w: %q is not a 10-digit US fax number", ErrOffice, f)
		}
		o.Fax = append(o.Fax, n)
	}
	for _, n := range splitList(npis) {
		if !extract.ValidNPI(n) {
			return o, fmt.Errorf("%w: %q is not a valid NPI", ErrOffice, n)
		}
		o.NPI = append(o.NPI, n)
	}
	if len(o.Emails) == 0 && len(o.Fax) == 0 {
		return o, fmt.Errorf("%w: give an email address or a fax number to send correction requests to", ErrOffice)
	}
	return o, nil
}

// splitList splits on commas, semicolons and line ends, and trims the parts.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// addLocalOffice merges o into the local office file: an office of the same
// name gains the new addresses, numbers and NPIs.
func addLocalOffice(dataDir string, o config.Office) error {
	offices, err := LocalOffices(dataDir)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(offices, func(x config.Office) bool { return strings.EqualFold(x.Name, o.Name) })
	if i < 0 {
		offices = append(offices, o)
	} else {
		x := &offices[i]
		x.Emails = union(x.Emails, o.Emails)
		x.Fax = union(x.Fax, o.Fax)
		x.NPI = union(x.NPI, o.NPI)
	}
	var b bytes.Buffer
	b.WriteString("# Offices added on rxintake's review page. The configuration's `offices:` list\n" +
		"# is the directory; these entries join it. Who added each one is in the audit trail.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(localOffices{Offices: offices}); err != nil {
		return fmt.Errorf("%w: %v", ErrOffice, err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("%w: %v", ErrOffice, err)
	}
	if err := safeio.WriteFile(filepath.Join(dataDir, LocalOfficesFile), b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("%w: %v", ErrOffice, err)
	}
	return nil
}

func union(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}
