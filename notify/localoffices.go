package notify

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"rxintake/config"
	"rxintake/internal/safeio"
)

// The office directory lives in the configuration file, which rxintake
// never writes. Offices the office manager adds on the review page go to
// data_dir/offices.local.yaml instead, in the shape of the configuration's
// `offices:` list, and join the configured offices at every lookup. Who
// added which office, and when, is in the audit trail. notify owns this
// file: the review page adds to it with AddLocalOffice.

// LocalOfficesFile is the file under data_dir holding offices added on the
// review page.
const LocalOfficesFile = "offices.local.yaml"

// ErrLocalOffices reports a local office file that cannot be read or written.
var ErrLocalOffices = errors.New("notify: local offices")

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
		return nil, fmt.Errorf("%w: %v", ErrLocalOffices, err)
	}
	var lo localOffices
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&lo); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrLocalOffices, LocalOfficesFile, err)
	}
	return lo.Offices, nil
}

// AddLocalOffice merges o into the local office file of dataDir: an office
// of the same name gains the new addresses, numbers and NPIs.
func AddLocalOffice(dataDir string, o config.Office) error {
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
		return fmt.Errorf("%w: %v", ErrLocalOffices, err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("%w: %v", ErrLocalOffices, err)
	}
	if err := safeio.WriteFile(filepath.Join(dataDir, LocalOfficesFile), b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("%w: %v", ErrLocalOffices, err)
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
