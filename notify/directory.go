package notify

import (
	"net/mail"
	"slices"
	"strings"

	"rxintake/config"
)

// Office is an office of the directory.
type Office struct {
	Name   string
	Emails []string // bare addresses, lower case
	Fax    []string // 10 digits
	NPI    []string
}

// Directory is the office directory of the configuration: the only places a
// correction request may go.
type Directory struct {
	offices []*Office
	byNPI   map[string][]*Office
	byFax   map[string][]*Office
	byAddr  map[string][]*Office // exact address
	byDom   map[string][]*Office // domain of an address, when it names one office only
}

// sharedDomains are mail providers many unrelated people use: a sender there
// is matched by its exact address, never by the domain.
var sharedDomains = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "yahoo.com": true, "ymail.com": true,
	"outlook.com": true, "hotmail.com": true, "live.com": true, "msn.com": true,
	"aol.com": true, "icloud.com": true, "me.com": true, "mac.com": true,
	"proton.me": true, "protonmail.com": true, "gmx.com": true, "mail.com": true,
	"comcast.net": true, "att.net": true, "verizon.net": true, "sbcglobal.net": true,
	"bellsouth.net": true, "charter.net": true, "cox.net": true, "earthlink.net": true,
	"zoho.com": true, "yandex.com": true, "fastmail.com": true,
}

// NewDirectory builds the directory from the configured offices. Fax numbers
// are normalised as config.Validate does.
func NewDirectory(offices []config.Office) *Directory {
	d := &Directory{byNPI: map[string][]*Office{}, byFax: map[string][]*Office{},
		byAddr: map[string][]*Office{}, byDom: map[string][]*Office{}}
	domains := map[string][]*Office{}
	for _, c := range offices {
		o := &Office{Name: c.Name}
		for _, e := range c.Emails {
			if a := bareAddress(e); a != "" {
				o.Emails = append(o.Emails, a)
			}
		}
		for _, f := range c.Fax {
			if n := config.NormalizePhone(f); n != "" {
				o.Fax = append(o.Fax, n)
			}
		}
		for _, n := range c.NPI {
			if n = strings.TrimSpace(n); n != "" {
				o.NPI = append(o.NPI, n)
			}
		}
		d.offices = append(d.offices, o)
		for _, n := range o.NPI {
			d.byNPI[n] = appendOnce(d.byNPI[n], o)
		}
		for _, f := range o.Fax {
			d.byFax[f] = appendOnce(d.byFax[f], o)
		}
		for _, a := range o.Emails {
			d.byAddr[a] = appendOnce(d.byAddr[a], o)
			dom := a[strings.LastIndexByte(a, '@')+1:]
			domains[dom] = appendOnce(domains[dom], o)
		}
	}
	for dom, hits := range domains {
		if !sharedDomains[dom] && len(hits) == 1 {
			d.byDom[dom] = hits
		}
	}
	return d
}

func appendOnce(s []*Office, o *Office) []*Office {
	if slices.Contains(s, o) {
		return s
	}
	return append(s, o)
}

// bareAddress returns the address in s in lower case, or "".
func bareAddress(s string) string {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || !strings.Contains(a.Address, "@") {
		return ""
	}
	return strings.ToLower(a.Address)
}

// Lookup finds the office a document belongs to. The transport decides
// first: the sending fax number, or the sender address (exact, or by a
// domain that belongs to one office and is not a shared mail provider). When
// the transport names no office, the prescriber's NPI does. A key that names
// several offices names none; a fax number and an address naming two
// different offices name none. An office without an email address cannot be
// asked by email: ok is false for it.
func (d *Directory) Lookup(npi, fax, from string) (*Office, bool) {
	if d == nil {
		return nil, false
	}
	var byTransport *Office
	if fax = config.NormalizePhone(fax); fax != "" {
		if hits := d.byFax[fax]; len(hits) == 1 {
			byTransport = hits[0]
		}
	}
	if a := bareAddress(from); a != "" {
		hits := d.byAddr[a]
		if len(hits) == 0 {
			hits = d.byDom[a[strings.LastIndexByte(a, '@')+1:]]
		}
		if len(hits) == 1 {
			if byTransport != nil && byTransport != hits[0] {
				return nil, false
			}
			byTransport = hits[0]
		}
	}
	o := byTransport
	if o == nil {
		if hits := d.byNPI[strings.TrimSpace(npi)]; len(hits) == 1 {
			o = hits[0]
		}
	}
	if o == nil || len(o.Emails) == 0 {
		return nil, false
	}
	return o, true
}

// Office returns the office named name, or nil.
func (d *Directory) Office(name string) *Office {
	if d == nil {
		return nil
	}
	for _, o := range d.offices {
		if o.Name == name {
			return o
		}
	}
	return nil
}
