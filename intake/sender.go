package intake

import (
	"strings"

	"github.com/emersion/go-message"

	"rxintake/config"
)

// Sender is what intake could verify of who sent a message
// (docs/architecture.md, "Who the sender is"). The processor finds the
// office by the From address only when Verified, and by a fax number only
// when FaxService.
type Sender struct {
	// Verified: the topmost Authentication-Results header of our own
	// receiving server (intake.authserv_id) records dmarc=pass, or
	// dkim=pass for the From domain, and no DMARC failure.
	Verified bool
	// FaxService: the message is Verified and its From address is one of
	// intake.fax_senders, so the fax number it gives is the fax service's
	// word, not the sender's.
	FaxService bool
	// Why says what was missing when the sender is not verified, or is
	// not the fax service: a fixed phrase with no patient information.
	Why string
}

// verifySender judges a message's header by the configuration's intake
// section. from is the message's From address, lower case.
func verifySender(h message.Header, from string, in config.Intake) Sender {
	var s Sender
	s.Verified, s.Why = authenticated(h, from, in.AuthservID)
	if s.Verified {
		if s.FaxService = in.IsFaxSender(from); !s.FaxService {
			s.Why = "the sender is not one of intake.fax_senders"
		}
	}
	return s
}

// authenticated reports whether the From domain of from passed DMARC, or
// DKIM with the From domain as its signing domain, at our own receiving
// server: the first (topmost) Authentication-Results field whose authserv-id
// is authservID. Every other such field is ignored, whoever wrote it: a
// server adds its own above what it received, so what lies below ours came
// from elsewhere. A DMARC result other than pass or none is a failure
// whatever DKIM says.
func authenticated(h message.Header, from, authservID string) (bool, string) {
	if authservID == "" {
		return false, "intake.authserv_id is not set"
	}
	at := strings.LastIndexByte(from, '@')
	if at < 0 || at == len(from)-1 {
		return false, "no From address"
	}
	domain := strings.ToLower(from[at+1:])
	fields := h.FieldsByKey("Authentication-Results")
	for fields.Next() {
		id, results, ok := parseAuthResults(fields.Value())
		if !ok || !strings.EqualFold(id, authservID) {
			continue
		}
		var dmarcPass, dkimPass bool
		for _, r := range results {
			switch r.method {
			case "dmarc":
				switch r.result {
				case "pass":
					if hf := r.props["header.from"]; hf == "" || strings.EqualFold(hf, domain) {
						dmarcPass = true
					}
				case "none":
				default:
					return false, "dmarc=" + r.result + " at " + authservID
				}
			case "dkim":
				if r.result == "pass" && aligned(signingDomain(r.props), domain) {
					dkimPass = true
				}
			}
		}
		if dmarcPass || dkimPass {
			return true, ""
		}
		return false, "no dmarc=pass or dkim=pass for the From domain at " + authservID
	}
	return false, "no Authentication-Results header of " + authservID
}

// signingDomain is a DKIM result's signing domain: header.d, else the
// domain of header.i.
func signingDomain(props map[string]string) string {
	if d := props["header.d"]; d != "" {
		return strings.ToLower(d)
	}
	i := props["header.i"]
	return strings.ToLower(i[strings.LastIndexByte(i, '@')+1:])
}

// aligned reports whether a DKIM signing domain d speaks for the From
// domain: the same domain, or one the other is a subdomain of (DMARC's
// relaxed alignment without a public-suffix list, so d needs two labels).
func aligned(d, from string) bool {
	if d == "" || !strings.Contains(d, ".") {
		return false
	}
	return d == from || strings.HasSuffix(from, "."+d) || strings.HasSuffix(d, "."+from)
}

// authResult is one method's result in an Authentication-Results field
// (RFC 8601): "dkim=pass header.d=example.com".
type authResult struct {
	method, result string
	props          map[string]string // "header.d" -> "example.com"
}

// parseAuthResults reads an Authentication-Results value: the authserv-id
// (an optional version after it is skipped), then the results separated by
// ";". Comments are dropped; method, result and property names come back in
// lower case. ok is false when there is no authserv-id.
func parseAuthResults(v string) (id string, results []authResult, ok bool) {
	parts := splitResults(stripComments(v))
	head := strings.Fields(parts[0])
	if len(head) == 0 || strings.Contains(head[0], "=") {
		return "", nil, false
	}
	id = unquote(head[0])
	for _, p := range parts[1:] {
		words := strings.Fields(joinEquals(p))
		if len(words) == 0 || strings.EqualFold(words[0], "none") {
			continue
		}
		method, result, found := strings.Cut(words[0], "=")
		if !found {
			continue
		}
		method, _, _ = strings.Cut(method, "/") // dkim/1
		r := authResult{method: strings.ToLower(method), result: strings.ToLower(unquote(result)), props: map[string]string{}}
		for _, w := range words[1:] {
			if k, val, found := strings.Cut(w, "="); found {
				r.props[strings.ToLower(k)] = unquote(val)
			}
		}
		results = append(results, r)
	}
	return id, results, true
}

// stripComments removes RFC 5322 comments (nested parentheses, with
// backslash escapes) outside quoted strings.
func stripComments(s string) string {
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && (depth > 0 || quoted):
			if quoted && i+1 < len(s) {
				b.WriteByte(c)
				b.WriteByte(s[i+1])
			}
			i++
		case quoted:
			b.WriteByte(c)
			if c == '"' {
				quoted = false
			}
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		case c == '"':
			quoted = true
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// splitResults splits at each ";" outside a quoted string: a quoted
// value (a local part, say) is the sender's text and may hold one.
func splitResults(s string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case c == ';' && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// joinEquals removes the white space around "=" so that each
// name=value is one word.
func joinEquals(s string) string {
	for _, sep := range []string{" =", "= ", "\t=", "=\t"} {
		for strings.Contains(s, sep) {
			s = strings.ReplaceAll(s, sep, "=")
		}
	}
	return s
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.ReplaceAll(s[1:len(s)-1], `\"`, `"`)
	}
	return s
}
