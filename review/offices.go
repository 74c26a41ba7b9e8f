package review

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode"

	"rxintake/config"
	"rxintake/extract"
)

// Offices added on the page join the directory through
// notify.AddLocalOffice; this file checks what was typed.

// ErrOffice reports an office that cannot be added as given.
var ErrOffice = errors.New("review: office")

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
