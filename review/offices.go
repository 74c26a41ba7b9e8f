package review

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode"

	"rxintake/config"
	"rxintake/extract"
)

// Offices added on the page join the directory through
// notify.AddLocalOffice; this file checks what was typed and works out
// what it would change, with what to warn of, for the confirmation.
//
// A referral from an office not in the directory is untrusted: its From
// address, the fax number its fax header claims and its prescriber's NPI
// are whatever its sender wrote. An office added with them would have
// every later prescription from that fax number or NPI emailed, with the
// prescription attached, to that sender. So nothing of the message fills
// in the form, only administrators (review.admins) may change the
// directory, each change is confirmed after a summary with its warnings,
// and the audit trail records who changed which office and how.

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
		o.Emails = appendNew(o.Emails, strings.ToLower(a.Address))
	}
	for _, f := range splitList(faxes) {
		n := config.NormalizePhone(f)
		if n == "" {
			return o, fmt.Errorf("%w: %q is not a 10-digit US fax number", ErrOffice, f)
		}
		o.Fax = appendNew(o.Fax, n)
	}
	for _, n := range splitList(npis) {
		if !extract.ValidNPI(n) {
			return o, fmt.Errorf("%w: %q is not a valid NPI", ErrOffice, n)
		}
		o.NPI = appendNew(o.NPI, n)
	}
	if len(o.Emails) == 0 && len(o.Fax) == 0 {
		return o, fmt.Errorf("%w: give an email address or a fax number to send correction requests to", ErrOffice)
	}
	return o, nil
}

// Warnings of the office confirmation, by the id the audit trail records.
const (
	warnDomainDiffers = "domain-differs" // an address at another domain than the directory's offices with that NPI or fax number
	warnSenderAddress = "sender-address" // an address the message itself came from
)

type officeWarning struct{ ID, Text string }

// officePlan is what an office typed on the page would do to the
// directory.
type officePlan struct {
	Name     string        // the office's name in the directory
	New      bool          // a new office; else one added on the page before gains Added
	Added    config.Office // what the directory lacks: for a new office, all that was typed
	Warnings []officeWarning
}

// Changes reports whether the plan adds anything to the directory.
func (p officePlan) Changes() bool {
	return p.New || len(p.Added.Emails)+len(p.Added.Fax)+len(p.Added.NPI) > 0
}

// warningIDs are the ids of the plan's warnings, for the audit trail.
func (p officePlan) warningIDs() []string {
	var ids []string
	for _, w := range p.Warnings {
		if !slices.Contains(ids, w.ID) {
			ids = append(ids, w.ID)
		}
	}
	return ids
}

// check is a digest of the plan. The confirmation form carries it; a
// confirmation whose plan has another (other values posted, or the
// directory changed since) is shown again instead of applied.
func (p officePlan) check() string {
	h := sha256.New()
	fmt.Fprintf(h, "%q %t %q %q %q", p.Name, p.New, p.Added.Emails, p.Added.Fax, p.Added.NPI)
	for _, w := range p.Warnings {
		fmt.Fprintf(h, " %q %q", w.ID, w.Text)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// planOffice works out what adding o would do, given the directory's
// configured and local offices and the addresses the case's message came
// from. An office of the configuration file cannot be changed on the page.
func planOffice(o config.Office, configured, local []config.Office, senders []string) (officePlan, error) {
	for _, c := range configured {
		if strings.EqualFold(strings.TrimSpace(c.Name), o.Name) {
			return officePlan{}, errForm{fmt.Sprintf("%s is an office of the configuration file (offices:): change it there, not on this page.", c.Name)}
		}
	}
	p := officePlan{Name: o.Name, New: true, Added: o}
	var self *config.Office
	if i := slices.IndexFunc(local, func(x config.Office) bool { return strings.EqualFold(x.Name, o.Name) }); i >= 0 {
		self = &local[i]
		p.Name, p.New = self.Name, false
		p.Added = config.Office{Name: self.Name, Emails: missing(o.Emails, officeEmails(*self)),
			Fax: missing(o.Fax, officeFaxes(*self)), NPI: missing(o.NPI, self.NPI)}
	}

	// The offices the typed fax numbers and NPIs already belong to (and
	// the office itself, when it gains addresses), and their domains.
	type related struct {
		name, why string
		domains   []string
	}
	var rel []related
	var known []string
	for _, x := range slices.Concat(configured, local) {
		var why []string
		if self != nil && strings.EqualFold(x.Name, self.Name) {
			why = append(why, "this office")
		}
		for _, f := range officeFaxes(x) {
			if slices.Contains(o.Fax, f) {
				why = append(why, "fax "+formatFax(f))
			}
		}
		for _, n := range x.NPI {
			if slices.Contains(o.NPI, strings.TrimSpace(n)) {
				why = append(why, "NPI "+strings.TrimSpace(n))
			}
		}
		var doms []string
		for _, a := range officeEmails(x) {
			if d := domainOf(a); !slices.Contains(doms, d) {
				doms = append(doms, d)
			}
		}
		if len(why) == 0 || len(doms) == 0 {
			continue
		}
		rel = append(rel, related{x.Name, strings.Join(why, ", "), doms})
		for _, d := range doms {
			if !slices.Contains(known, d) {
				known = append(known, d)
			}
		}
	}
	var odd []string
	for _, a := range p.Added.Emails {
		if len(known) > 0 && !slices.Contains(known, domainOf(a)) {
			odd = append(odd, a)
		}
	}
	if len(odd) > 0 {
		var offices []string
		for _, r := range rel {
			offices = append(offices, fmt.Sprintf("%s (%s; %s)", r.name, strings.Join(r.domains, ", "), r.why))
		}
		p.Warnings = append(p.Warnings, officeWarning{warnDomainDiffers, fmt.Sprintf(
			"%s is not at a domain of the directory's offices with this fax number or NPI: %s. "+
				"Correction requests, with the prescription attached, would go to it: check it with the office, at a number you know, before you confirm.",
			strings.Join(odd, ", "), strings.Join(offices, "; "))})
	}
	for _, a := range p.Added.Emails {
		if slices.ContainsFunc(senders, func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), a) }) {
			p.Warnings = append(p.Warnings, officeWarning{warnSenderAddress, fmt.Sprintf(
				"%s is the address this message came from. A message's From address is easily forged, and a fake referral gives the address "+
					"its sender wants prescriptions sent to: use it only if the office has confirmed it.", a)})
		}
	}
	return p, nil
}

// missing returns the items of typed that have is without.
func missing(typed, have []string) []string {
	var out []string
	for _, x := range typed {
		if !slices.Contains(have, x) {
			out = append(out, x)
		}
	}
	return out
}

// officeEmails returns an office's addresses, bare and in lower case, as
// the directory matches them.
func officeEmails(o config.Office) []string {
	var out []string
	for _, e := range o.Emails {
		if a, err := mail.ParseAddress(strings.TrimSpace(e)); err == nil && strings.Contains(a.Address, "@") {
			out = append(out, strings.ToLower(a.Address))
		}
	}
	return out
}

func officeFaxes(o config.Office) []string {
	var out []string
	for _, f := range o.Fax {
		if n := config.NormalizePhone(f); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func domainOf(addr string) string { return strings.ToLower(addr[strings.LastIndexByte(addr, '@')+1:]) }

func appendNew(list []string, x string) []string {
	if slices.Contains(list, x) {
		return list
	}
	return append(list, x)
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
