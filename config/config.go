// Package config loads and validates rxintake's YAML configuration: one
// struct, defaults first, every key checked at load with an error that names
// it. Secrets never sit in the file: *_env names an environment variable and
// *_file a file that holds the secret.
package config

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

// ErrInvalid wraps every validation failure; the message names the key.
var ErrInvalid = errors.New("config")

// Config is the whole configuration file.
type Config struct {
	DataDir   string           `yaml:"data_dir"`
	Mailbox   Mailbox          `yaml:"mailbox"`
	Schedule  string           `yaml:"schedule"`
	SMTP      SMTP             `yaml:"smtp"`
	Offices   []Office         `yaml:"offices"`
	Payers    map[string]Payer `yaml:"payers"`
	Review    Review           `yaml:"review"`
	Limits    Limits           `yaml:"limits"`
	OCR       OCR              `yaml:"ocr"`
	Fax       Fax              `yaml:"fax"`
	Intake    Intake           `yaml:"intake"`
	Practice  Practice         `yaml:"practice"`
	Notify    Notify           `yaml:"notify"`
	Audit     Audit            `yaml:"audit"`
	LLM       LLM              `yaml:"llm"`
	Alerts    Alerts           `yaml:"alerts"`
	Retention Retention        `yaml:"retention"`
	path      string           // file it was loaded from
	raw       []byte           // bytes it was loaded from, for the audit hash

	// Database is where the cases, the ledger, the outbox and the audit
	// trail are kept: "" for the SQLite database in DataDir, or a
	// postgres:// URL without a password (docs/postgres.md).
	Database string `yaml:"database"`
	// DatabasePasswordEnv and DatabasePasswordFile name the PostgreSQL
	// password; with neither, libpq's PGPASSWORD or ~/.pgpass.
	DatabasePasswordEnv  string `yaml:"database_password_env"`
	DatabasePasswordFile string `yaml:"database_password_file"`
}

// Mailbox is the IMAP account the referrals arrive in.
type Mailbox struct {
	Host         string  `yaml:"host"`
	Port         int     `yaml:"port"`
	TLS          string  `yaml:"tls"` // implicit | starttls | none
	CAFile       string  `yaml:"ca_file"`
	Username     string  `yaml:"username"`
	PasswordEnv  string  `yaml:"password_env"`
	PasswordFile string  `yaml:"password_file"`
	Folder       string  `yaml:"folder"`
	Folders      Folders `yaml:"folders"`
	// Timeout is how long one IMAP exchange may go without a byte from
	// the server (connecting and logging in included): a server that stops
	// answering costs the cycle this long, not forever. A slow line that
	// keeps delivering is not cut. Default 2m.
	Timeout time.Duration `yaml:"timeout"`
}

// Folders are where a processed message is filed, by outcome. "/" separates
// levels; rxintake maps it to the server's hierarchy delimiter.
type Folders struct {
	Complete   string `yaml:"complete"`
	Correction string `yaml:"correction"`
	Review     string `yaml:"review"`
}

// SMTP is the submission server correction requests leave through.
type SMTP struct {
	Host         string `yaml:"host"`
	Port         int    `yaml:"port"`
	TLS          string `yaml:"tls"`
	CAFile       string `yaml:"ca_file"`
	Username     string `yaml:"username"`
	PasswordEnv  string `yaml:"password_env"`
	PasswordFile string `yaml:"password_file"`
	From         string `yaml:"from"`
	ReplyTo      string `yaml:"reply_to"`
	// Timeout bounds connecting, the TLS handshake and each SMTP command,
	// and the wait for the server's reply to the message. Default 2m.
	Timeout time.Duration `yaml:"timeout"`
}

// Office is a physician's office: the only addresses a correction request
// may go to.
type Office struct {
	Name   string   `yaml:"name"`
	Emails []string `yaml:"emails"`
	Fax    []string `yaml:"fax"`
	NPI    []string `yaml:"npi"`
}

// Payer is a payer profile. "default" applies when no payer is named.
type Payer struct {
	Allow97124  bool     `yaml:"allow_97124"`
	RxValidDays int      `yaml:"rx_valid_days"`
	Required    []string `yaml:"required"`    // extra rule ids promoted to errors
	NotCovered  []string `yaml:"not_covered"` // CPT codes the payer does not pay
	UnitMethod  string   `yaml:"unit_method"` // cms (default)
	Description string   `yaml:"description"`
}

// Review is the office manager's web page.
type Review struct {
	// Listen is host:port; "" turns the page off. A host other than a
	// loopback address needs TLS (tls_cert and tls_key).
	Listen string `yaml:"listen"`
	// UsersFile holds the users and their password hashes, managed with
	// `rxintake user add`; default data_dir/users.
	UsersFile string `yaml:"users_file"`
	TLSCert   string `yaml:"tls_cert"`
	TLSKey    string `yaml:"tls_key"`
	// SessionIdle signs a user out after this long without a request.
	SessionIdle time.Duration `yaml:"session_idle"`
	// TrustedProxies are the addresses (CIDR prefixes, or single
	// addresses) of the reverse proxies in front of the page. Only a
	// request from one of them is believed about the client's address
	// (X-Forwarded-For) and about having come over TLS
	// (X-Forwarded-Proto: https). Default none.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// Admins are the users who may change the office directory on the
	// page: add an office, or addresses to one. Default none.
	Admins []string `yaml:"admins"`
}

// IsAdmin reports whether user is one of review.admins.
func (r Review) IsAdmin(user string) bool { return user != "" && slices.Contains(r.Admins, user) }

// Proxies returns review.trusted_proxies as prefixes (a single address is
// a prefix of its full length). Validate has checked them.
func (r Review) Proxies() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range r.TrustedProxies {
		if p, err := parsePrefix(s); err == nil {
			out = append(out, p)
		}
	}
	return out
}

func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}

// Limits protect the worker from hostile or broken input.
type Limits struct {
	PagesPerDocument int           `yaml:"pages_per_document"`
	PixelsPerPage    int64         `yaml:"pixels_per_page"`
	OCRPerPage       time.Duration `yaml:"ocr_per_page"`
	BytesPerMessage  int64         `yaml:"bytes_per_message"`
}

// OCR configures the Tesseract workers.
type OCR struct {
	Workers  int    `yaml:"workers"`  // concurrent single-threaded OCR processes
	Language string `yaml:"language"` // tesseract language, "eng"
}

// Fax holds the patterns that find the sender's fax number in a fax-to-email
// notification (subject or body). Each must have one capturing group.
type Fax struct {
	SenderPatterns []string `yaml:"sender_patterns"`
}

// Intake says which senders intake may believe (docs/architecture.md, "Who
// the sender is").
type Intake struct {
	// AuthservID is the authserv-id our own receiving mail server writes
	// in the Authentication-Results header it adds. Only the topmost such
	// header is believed: a sender's From address finds its office only
	// when it records dmarc=pass, or dkim=pass for the From domain. ""
	// (the default) verifies no sender.
	AuthservID string `yaml:"authserv_id"`
	// FaxSenders are the fax service's sender addresses ("noreply@fax.example")
	// or domains ("@fax.example"). Only a verified message from one of them
	// has a fax number that finds an office. Default none.
	FaxSenders []string `yaml:"fax_senders"`
	// Idle keeps a second connection to mailbox.folder in IMAP IDLE, when
	// the server offers it, and runs a cycle as soon as the server reports
	// new mail; the schedule still runs its cycles (docs/architecture.md,
	// "When a cycle runs"). Default true; false: the schedule alone.
	Idle bool `yaml:"idle"`
	// CycleTimeout is a cycle's deadline: past it the cycle takes no new
	// message, cuts the IMAP exchange in flight, and sends no further
	// correction request; what is left waits for the next cycle. The
	// message being read when it passes is still decided. Default 15m.
	CycleTimeout time.Duration `yaml:"cycle_timeout"`
}

// IsFaxSender reports whether addr (a bare address) is one of
// intake.fax_senders.
func (in Intake) IsFaxSender(addr string) bool {
	addr = strings.ToLower(strings.TrimSpace(addr))
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 {
		return false
	}
	for _, s := range in.FaxSenders {
		s = strings.ToLower(strings.TrimSpace(s))
		if s == addr || (strings.HasPrefix(s, "@") && s == addr[at:]) {
			return true
		}
	}
	return false
}

// Practice is how the massage practice signs its correction requests.
type Practice struct {
	Name      string `yaml:"name"`
	Phone     string `yaml:"phone"`
	Fax       string `yaml:"fax"`
	Signature string `yaml:"signature"`
}

// Notify configures correction requests and their follow-up.
type Notify struct {
	// AttachOriginal attaches the prescription as received (default true).
	AttachOriginal *bool `yaml:"attach_original"`
	// AttachMaxBytes is the largest original attached; a larger one is
	// mentioned in the request instead (default 10 MiB).
	AttachMaxBytes int64 `yaml:"attach_max_bytes"`
	// ReminderAfterDays is how many business days (Monday to Friday) after
	// the request one reminder goes out, and after the reminder the case
	// goes to review (default 3).
	ReminderAfterDays int `yaml:"reminder_after_business_days"`
	// DailyCapPerOffice and DailyCap bound the requests and reminders sent
	// per calendar day to one office and in all (defaults 20 and 200); what
	// is over waits for the next day.
	DailyCapPerOffice int `yaml:"daily_cap_per_office"`
	DailyCap          int `yaml:"daily_cap"`
}

// LLM configures the optional second reader: a language model behind an
// OpenAI-compatible API, asked before a correction request whether what the
// rules call missing is on the prescription (docs/llm.md). Off by default.
type LLM struct {
	// BaseURL is the API's root, such as http://127.0.0.1:8000/v1 for a
	// model server on this machine. https is required unless the host is
	// a loopback address.
	BaseURL string `yaml:"base_url"`
	Model   string `yaml:"model"`
	// APIKeyEnv (or APIKeyFile) holds the API key; a local server may need
	// none.
	APIKeyEnv  string `yaml:"api_key_env"`
	APIKeyFile string `yaml:"api_key_file"`
	// CAFile is an extra CA bundle for a server with a private certificate.
	CAFile string `yaml:"ca_file"`
	// Mode is off, verify (ask about the elements the rules call missing
	// before a correction request) or fallback (verify, and also ask about
	// elements read with low confidence).
	Mode string `yaml:"mode"`
	// Timeout bounds everything asked of the model for one case.
	Timeout time.Duration `yaml:"timeout"`
	// MaxRequestsPerDay bounds the requests of one UTC day; past it, cases
	// are decided by the rules alone.
	MaxRequestsPerDay int `yaml:"max_requests_per_day"`
}

// The modes of the second reader.
const (
	LLMOff      = "off"
	LLMVerify   = "verify"
	LLMFallback = "fallback"
)

// On reports whether the second reader is to be asked.
func (l LLM) On() bool { return l.Mode != LLMOff && l.Mode != "" }

// Check validates the llm keys; Validate calls it, and so does a command
// that changes the mode after loading.
func (l LLM) Check() error {
	switch l.Mode {
	case LLMOff, LLMVerify, LLMFallback:
	default:
		return bad("llm.mode", "%q is not one of off, verify, fallback", l.Mode)
	}
	if l.BaseURL != "" || l.On() {
		u, err := url.Parse(l.BaseURL)
		if l.BaseURL == "" {
			return bad("llm.base_url", "must be set when llm.mode is %s", l.Mode)
		}
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
			return bad("llm.base_url", "%q is not an http(s) URL such as https://llm.example/v1 (credentials go in api_key_env)", l.BaseURL)
		}
		if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
			return bad("llm.base_url", "%q: plain http is allowed only for a loopback host; patient information goes over this connection, so use https", l.BaseURL)
		}
	}
	if l.On() && l.Model == "" {
		return bad("llm.model", "must be set when llm.mode is %s", l.Mode)
	}
	if l.Timeout < time.Second || l.Timeout > 10*time.Minute {
		return bad("llm.timeout", "%s is not between 1s and 10m", l.Timeout)
	}
	if l.MaxRequestsPerDay < 1 {
		return bad("llm.max_requests_per_day", "must be at least 1")
	}
	return nil
}

// LeavesMachine reports whether base_url names a host that is neither a
// loopback nor a private address: the prescriptions' text then leaves the
// machine and the practice's network. A host name other than localhost
// counts as leaving, whatever it resolves to today.
func (l LLM) LeavesMachine() bool {
	u, err := url.Parse(l.BaseURL)
	if err != nil {
		return true
	}
	host := u.Hostname()
	if IsLoopback(host) {
		return false
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return true
	}
	a = a.Unmap()
	return !a.IsPrivate() && !a.IsLinkLocalUnicast()
}

// Default returns the configuration every loaded file starts from.
func Default() Config {
	on := true
	return Config{
		DataDir: "./data",
		Mailbox: Mailbox{
			Port: 993, TLS: "implicit", Folder: "INBOX",
			Folders: Folders{Complete: "Rx/Complete", Correction: "Rx/Needs-Correction", Review: "Rx/Needs-Review"},
			Timeout: 2 * time.Minute,
		},
		Schedule: "*/5 * * * *",
		SMTP:     SMTP{Port: 465, TLS: "implicit", Timeout: 2 * time.Minute},
		Payers:   map[string]Payer{"default": {Allow97124: false, RxValidDays: 90, UnitMethod: "cms"}},
		Review:   Review{Listen: "127.0.0.1:8080", UsersFile: "", SessionIdle: 30 * time.Minute},
		Limits: Limits{
			PagesPerDocument: 50,
			PixelsPerPage:    60_000_000,
			OCRPerPage:       60 * time.Second,
			BytesPerMessage:  40 << 20,
		},
		OCR:       OCR{Workers: 0, Language: "eng"},
		Intake:    Intake{Idle: true, CycleTimeout: 15 * time.Minute},
		Fax:       Fax{SenderPatterns: DefaultSenderPatterns},
		Notify:    Notify{AttachOriginal: &on, AttachMaxBytes: 10 << 20, ReminderAfterDays: 3, DailyCapPerOffice: 20, DailyCap: 200},
		Audit:     Audit{CheckpointEmailEvery: 24 * time.Hour},
		LLM:       LLM{Mode: LLMOff, Timeout: 30 * time.Second, MaxRequestsPerDay: 1000},
		Alerts:    Alerts{AfterFailures: 3, DiskPercent: 90},
		Retention: Retention{Originals: Years(7), Audit: Years(6)},
	}
}

// DefaultSenderPatterns match the notifications of common fax-to-email
// services; the first capturing group is the number.
var DefaultSenderPatterns = []string{
	`(?i)fax (?:received )?from[: ]+\+?1?[ (.-]*(\d{3}[) .-]*\d{3}[ .-]*\d{4})`,
	`(?i)caller[ -]?id[: ]+\+?1?[ (.-]*(\d{3}[) .-]*\d{3}[ .-]*\d{4})`,
	`(?i)\bfrom[: ]+\+?1?[ (.-]*(\d{3}[) .-]*\d{3}[ .-]*\d{4})\b`,
}

// Load reads, defaults and validates the file at path.
func Load(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return Parse(raw, path)
}

// Parse is Load on bytes; path is used to resolve relative paths.
func Parse(raw []byte, path string) (*Config, error) {
	c := Default()
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, path, err)
	}
	c.path, c.raw = path, raw
	if def, ok := c.Payers["default"]; ok {
		if def.RxValidDays == 0 {
			def.RxValidDays = 90
		}
		c.Payers["default"] = def
	} else {
		c.Payers["default"] = Payer{RxValidDays: 90, UnitMethod: "cms"}
	}
	if c.DataDir != "" && !filepath.IsAbs(c.DataDir) && path != "" {
		c.DataDir = filepath.Join(filepath.Dir(path), c.DataDir)
	}
	for _, p := range []*string{&c.DatabasePasswordFile, &c.Review.UsersFile, &c.Review.TLSCert, &c.Review.TLSKey, &c.Audit.CheckpointKeyFile, &c.Audit.CheckpointFile, &c.LLM.CAFile, &c.LLM.APIKeyFile} {
		if *p != "" && !filepath.IsAbs(*p) && path != "" {
			*p = filepath.Join(filepath.Dir(path), *p)
		}
	}
	for _, p := range []*string{&c.Audit.CheckpointKeyFile, &c.Audit.CheckpointFile} {
		if *p != "" {
			*p = filepath.Clean(*p)
		}
	}
	if c.Review.UsersFile == "" && c.DataDir != "" {
		c.Review.UsersFile = filepath.Join(c.DataDir, "users")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Raw returns the bytes the configuration was loaded from.
func (c *Config) Raw() []byte { return c.raw }

// Path returns the file the configuration was loaded from.
func (c *Config) Path() string { return c.path }

func bad(key, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalid, key, fmt.Sprintf(format, args...))
}

// Validate checks every key and names the first bad one.
func (c *Config) Validate() error {
	if c.DataDir == "" {
		return bad("data_dir", "must be set")
	}
	if err := c.validateDatabase(); err != nil {
		return err
	}
	if err := checkTLS("mailbox", c.Mailbox.TLS, c.Mailbox.Host); err != nil {
		return err
	}
	if c.Mailbox.Host != "" {
		if c.Mailbox.Port <= 0 || c.Mailbox.Port > 65535 {
			return bad("mailbox.port", "%d is not a port", c.Mailbox.Port)
		}
		if c.Mailbox.Username == "" {
			return bad("mailbox.username", "must be set")
		}
		if c.Mailbox.PasswordEnv == "" && c.Mailbox.PasswordFile == "" {
			return bad("mailbox.password_env", "set password_env or password_file (secrets never sit in the file)")
		}
		if c.Mailbox.Folder == "" {
			return bad("mailbox.folder", "must be set")
		}
	}
	// A configuration built in code rather than loaded (the demo's) may
	// leave the timeouts unset: they take their defaults.
	def := Default()
	for _, d := range []struct{ v, def *time.Duration }{
		{&c.Mailbox.Timeout, &def.Mailbox.Timeout}, {&c.SMTP.Timeout, &def.SMTP.Timeout}, {&c.Intake.CycleTimeout, &def.Intake.CycleTimeout},
	} {
		if *d.v == 0 {
			*d.v = *d.def
		}
	}
	if t := c.Mailbox.Timeout; t < time.Second || t > time.Hour {
		return bad("mailbox.timeout", "%s is not between 1s and 1h", t)
	}
	if t := c.SMTP.Timeout; t < time.Second || t > time.Hour {
		return bad("smtp.timeout", "%s is not between 1s and 1h", t)
	}
	if c.SMTP.Host != "" {
		if err := checkTLS("smtp", c.SMTP.TLS, c.SMTP.Host); err != nil {
			return err
		}
		if c.SMTP.From == "" {
			return bad("smtp.from", "must be set")
		}
	}
	for i, o := range c.Offices {
		key := fmt.Sprintf("offices[%d]", i)
		if o.Name == "" {
			return bad(key+".name", "must be set")
		}
		for _, e := range o.Emails {
			if !strings.Contains(e, "@") {
				return bad(key+".emails", "%q is not an email address", e)
			}
		}
		for j, f := range o.Fax {
			n := NormalizePhone(f)
			if n == "" {
				return bad(key+".fax", "%q is not a 10-digit US number", f)
			}
			c.Offices[i].Fax[j] = n
		}
	}
	for name, p := range c.Payers {
		if p.RxValidDays < 0 {
			return bad("payers."+name+".rx_valid_days", "must not be negative")
		}
		if p.UnitMethod != "" && p.UnitMethod != "cms" {
			return bad("payers."+name+".unit_method", "%q is not supported (cms)", p.UnitMethod)
		}
	}
	if _, err := cron.ParseStandard(c.Schedule); err != nil {
		return bad("schedule", "%q is not a cron schedule (%v); for example \"*/5 * * * *\" or \"@every 2m\"", c.Schedule, err)
	}
	if c.Limits.PagesPerDocument <= 0 {
		return bad("limits.pages_per_document", "must be positive")
	}
	if c.Limits.PixelsPerPage <= 0 {
		return bad("limits.pixels_per_page", "must be positive")
	}
	if c.Limits.OCRPerPage <= 0 {
		return bad("limits.ocr_per_page", "must be positive")
	}
	if c.Limits.BytesPerMessage <= 0 {
		return bad("limits.bytes_per_message", "must be positive")
	}
	if c.OCR.Workers < 0 {
		return bad("ocr.workers", "must not be negative")
	}
	if err := c.validateNotify(); err != nil {
		return err
	}
	if err := c.validateAudit(); err != nil {
		return err
	}
	if err := c.LLM.Check(); err != nil {
		return err
	}
	if err := c.Intake.validate(); err != nil {
		return err
	}
	if err := c.validateAlerts(); err != nil {
		return err
	}
	if err := c.Retention.validate(); err != nil {
		return err
	}
	return c.Review.validate()
}

// Audit configures the audit trail's checkpoints (docs/audit.md): the key
// that signs them, and where copies go off the machine.
type Audit struct {
	// CheckpointKeyFile is the Ed25519 private key that signs checkpoints,
	// made by `rxintake audit keygen`. It must lie outside data_dir and be
	// readable by its owner only (checked at start). Without it
	// checkpoints are unsigned and `audit verify` reports the trail
	// unanchored.
	CheckpointKeyFile string `yaml:"checkpoint_key_file"`
	// CheckpointPublicKey ("ed25519:BASE64", printed by keygen) checks
	// the signatures; enough for `audit verify` on a machine without the
	// private key. Default: the public half of checkpoint_key_file.
	CheckpointPublicKey string `yaml:"checkpoint_public_key"`
	// CheckpointFile receives every checkpoint line, appended: a file on
	// another mount than data_dir (an archive disk, a network share).
	CheckpointFile string `yaml:"checkpoint_file"`
	// CheckpointEmail is the office manager's address: the checkpoints
	// are mailed there through smtp, at most once per
	// CheckpointEmailEvery.
	CheckpointEmail      string        `yaml:"checkpoint_email"`
	CheckpointEmailEvery time.Duration `yaml:"checkpoint_email_every"`
}

func (c *Config) validateAudit() error {
	a := c.Audit
	for _, f := range []struct{ key, path string }{
		{"audit.checkpoint_key_file", a.CheckpointKeyFile}, {"audit.checkpoint_file", a.CheckpointFile},
	} {
		if f.path == "" {
			continue
		}
		if insideDir(f.path, c.DataDir) {
			return bad(f.key, "%s is inside data_dir (%s): keep it on another disk, out of data_dir's backups and of reach of whoever can rewrite the trail", f.path, c.DataDir)
		}
	}
	if a.CheckpointPublicKey != "" {
		b64, ok := strings.CutPrefix(a.CheckpointPublicKey, "ed25519:")
		if b, err := base64.StdEncoding.DecodeString(b64); !ok || err != nil || len(b) != 32 {
			return bad("audit.checkpoint_public_key", "%q is not an Ed25519 public key as `rxintake audit keygen` prints it (ed25519: and 44 characters of base64)", a.CheckpointPublicKey)
		}
	}
	if a.CheckpointEmail != "" {
		if addr, err := mail.ParseAddress(a.CheckpointEmail); err != nil || !strings.Contains(addr.Address, "@") {
			return bad("audit.checkpoint_email", "%q is not an email address", a.CheckpointEmail)
		}
		if c.SMTP.Host == "" {
			return bad("audit.checkpoint_email", "needs smtp.host to send through")
		}
	}
	if a.CheckpointEmailEvery < time.Minute {
		return bad("audit.checkpoint_email_every", "%s is less than 1m", a.CheckpointEmailEvery)
	}
	return nil
}

// insideDir reports whether path is dir or under it, with symbolic links
// in the part of each that exists resolved.
func insideDir(path, dir string) bool {
	resolve := func(p string) string {
		p, _ = filepath.Abs(p)
		rest := ""
		for {
			if r, err := filepath.EvalSymlinks(p); err == nil {
				return filepath.Join(r, rest)
			}
			parent := filepath.Dir(p)
			if parent == p {
				return filepath.Join(p, rest)
			}
			rest = filepath.Join(filepath.Base(p), rest)
			p = parent
		}
	}
	rel, err := filepath.Rel(resolve(dir), resolve(path))
	return err == nil && (rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))))
}

func (r *Review) validate() error {
	if (r.TLSCert == "") != (r.TLSKey == "") {
		return bad("review.tls_cert", "set both tls_cert and tls_key, or neither")
	}
	if r.SessionIdle == 0 {
		r.SessionIdle = 30 * time.Minute
	}
	if r.SessionIdle < time.Minute || r.SessionIdle > 24*time.Hour {
		return bad("review.session_idle", "%s is not between 1m and 24h", r.SessionIdle)
	}
	for _, a := range r.Admins {
		if !validUserName(a) {
			return bad("review.admins", "%q is not a user name (1-64 letters, digits or ._@- starting with a letter or digit)", a)
		}
	}
	for _, s := range r.TrustedProxies {
		p, err := parsePrefix(s)
		if err != nil {
			return bad("review.trusted_proxies", "%q is not an address or a CIDR prefix such as 127.0.0.1/32", s)
		}
		if p.Bits() == 0 {
			return bad("review.trusted_proxies", "%q trusts every address: name the proxies' own", s)
		}
	}
	if r.Listen == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(r.Listen)
	if err != nil || port == "" {
		return bad("review.listen", "%q is not host:port", r.Listen)
	}
	if !IsLoopback(host) && r.TLSCert == "" {
		return bad("review.listen", "%q is not a loopback address: the page shows patient information, so set review.tls_cert and review.tls_key to serve it beyond this machine", r.Listen)
	}
	return nil
}

// validUserName is review.ValidUserName: what `rxintake user add` accepts.
func validUserName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		alnum := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("._@-", rune(b))) {
			return false
		}
	}
	return true
}

func checkTLS(section, mode, host string) error {
	switch mode {
	case "implicit", "starttls":
		return nil
	case "none":
		if host != "" && !IsLoopback(host) {
			return bad(section+".tls", "none is allowed only for a loopback host, not %q", host)
		}
		return nil
	default:
		return bad(section+".tls", "%q is not one of implicit, starttls, none", mode)
	}
}

// IsLoopback reports whether host names this machine.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// NormalizePhone returns the 10-digit US number in s, or "" when s is not one.
func NormalizePhone(s string) string {
	var d []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	if len(d) != 10 || d[0] == '0' || d[0] == '1' {
		return ""
	}
	return string(d)
}

// validateDatabase checks database and its password keys.
func (c *Config) validateDatabase() error {
	if c.Database == "" {
		if c.DatabasePasswordEnv != "" || c.DatabasePasswordFile != "" {
			return bad("database_password_env", "set only with a postgres:// database (SQLite needs no password)")
		}
		return nil
	}
	u, err := url.Parse(c.Database)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return bad("database", "must be empty (SQLite in data_dir) or a postgres:// URL with a host")
	}
	if _, ok := u.User.Password(); ok || u.Query().Has("password") {
		return bad("database", "the URL holds a password: secrets never sit in the file (database_password_env, database_password_file, or PGPASSWORD)")
	}
	if c.DatabasePasswordEnv != "" && c.DatabasePasswordFile != "" {
		return bad("database_password_env", "set database_password_env or database_password_file, not both")
	}
	return nil
}

// DatabasePassword returns the PostgreSQL password its keys name, or ""
// when they name none.
func (c *Config) DatabasePassword() (string, error) {
	if c.DatabasePasswordEnv == "" && c.DatabasePasswordFile == "" {
		return "", nil
	}
	return Secret("database_password", c.DatabasePasswordEnv, c.DatabasePasswordFile)
}

// Secret reads a secret named by an *_env or *_file key.
func Secret(key, env, file string) (string, error) {
	switch {
	case env != "":
		v, ok := os.LookupEnv(env)
		if !ok || v == "" {
			return "", bad(key+"_env", "environment variable %s is not set", env)
		}
		return v, nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", bad(key+"_file", "%v", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return "", bad(key+"_env", "not set")
}

func (in Intake) validate() error {
	if t := in.CycleTimeout; t < time.Second || t > 24*time.Hour {
		return bad("intake.cycle_timeout", "%s is not between 1s and 24h", t)
	}
	if id := in.AuthservID; id != "" && (strings.ContainsAny(id, " \t;()\"=") || !strings.Contains(id, ".")) {
		return bad("intake.authserv_id", "%q is not a host name (the authserv-id of the receiving server's Authentication-Results)", id)
	}
	for i, s := range in.FaxSenders {
		key := fmt.Sprintf("intake.fax_senders[%d]", i)
		if strings.HasPrefix(s, "@") {
			if d := s[1:]; !strings.Contains(d, ".") || strings.ContainsAny(d, "@ <>") {
				return bad(key, "%q is not @ and a domain", s)
			}
			continue
		}
		if a, err := mail.ParseAddress(s); err != nil || a.Address != strings.TrimSpace(s) {
			return bad(key, "%q is neither a bare address nor @ and a domain", s)
		}
	}
	return nil
}

// validateNotify checks the keys correction requests depend on.
func (c *Config) validateNotify() error {
	n := c.Notify
	if n.AttachMaxBytes < 0 {
		return bad("notify.attach_max_bytes", "must not be negative")
	}
	if n.ReminderAfterDays < 1 || n.ReminderAfterDays > 30 {
		return bad("notify.reminder_after_business_days", "%d is not between 1 and 30", n.ReminderAfterDays)
	}
	if n.DailyCapPerOffice < 1 {
		return bad("notify.daily_cap_per_office", "must be at least 1")
	}
	if n.DailyCap < 1 {
		return bad("notify.daily_cap", "must be at least 1")
	}
	if n.DailyCapPerOffice > n.DailyCap {
		return bad("notify.daily_cap_per_office", "%d is more than notify.daily_cap (%d)", n.DailyCapPerOffice, n.DailyCap)
	}
	if c.Practice.Fax != "" && NormalizePhone(c.Practice.Fax) == "" {
		return bad("practice.fax", "%q is not a 10-digit US number", c.Practice.Fax)
	}
	if c.Practice.Phone != "" && NormalizePhone(c.Practice.Phone) == "" {
		return bad("practice.phone", "%q is not a 10-digit US number", c.Practice.Phone)
	}
	names := map[string]bool{}
	for i, o := range c.Offices {
		if names[o.Name] {
			return bad(fmt.Sprintf("offices[%d].name", i), "%q names two offices", o.Name)
		}
		names[o.Name] = true
	}
	if c.SMTP.Host != "" {
		if c.SMTP.Port <= 0 || c.SMTP.Port > 65535 {
			return bad("smtp.port", "%d is not a port", c.SMTP.Port)
		}
		if a, err := mail.ParseAddress(c.SMTP.From); err != nil || !strings.Contains(a.Address, "@") {
			return bad("smtp.from", "%q is not an email address", c.SMTP.From)
		}
		if c.SMTP.ReplyTo != "" {
			if _, err := mail.ParseAddress(c.SMTP.ReplyTo); err != nil {
				return bad("smtp.reply_to", "%q is not an email address", c.SMTP.ReplyTo)
			}
		}
		if c.SMTP.Username != "" && c.SMTP.PasswordEnv == "" && c.SMTP.PasswordFile == "" {
			return bad("smtp.password_env", "set password_env or password_file (secrets never sit in the file)")
		}
	}
	return nil
}

// Alerts says whom to tell when intake stops (docs/operations.md): the
// mailbox or SMTP failing cycle after cycle, the disk under data_dir
// filling, the audit trail not writable. The review page shows a banner
// either way; with To set, an email goes through smtp too, once when the
// problem starts and once when it is over.
type Alerts struct {
	// To is the office manager's address. Default none: the banner only.
	To string `yaml:"to"`
	// AfterFailures is how many cycles in a row the mailbox or SMTP login
	// must fail before the alert (default 3).
	AfterFailures int `yaml:"after_failures"`
	// DiskPercent is how full the file system of data_dir may get before
	// the alert (default 90).
	DiskPercent float64 `yaml:"disk_percent"`
}

func (c *Config) validateAlerts() error {
	a := c.Alerts
	if a.To != "" {
		if addr, err := mail.ParseAddress(a.To); err != nil || !strings.Contains(addr.Address, "@") {
			return bad("alerts.to", "%q is not an email address", a.To)
		}
		if c.SMTP.Host == "" {
			return bad("alerts.to", "needs smtp.host to send through")
		}
	}
	if a.AfterFailures < 1 || a.AfterFailures > 100 {
		return bad("alerts.after_failures", "%d is not between 1 and 100", a.AfterFailures)
	}
	if a.DiskPercent <= 0 || a.DiskPercent > 100 {
		return bad("alerts.disk_percent", "%g is not a percentage between 0 and 100", a.DiskPercent)
	}
	return nil
}

// Retention is how long what rxintake keeps is kept (docs/operations.md):
// a daily purge removes what is older. Written as a duration ("8760h") or
// in years ("7y").
type Retention struct {
	// Originals are the messages as received and the page images read
	// from them (default 7 years).
	Originals Duration `yaml:"originals"`
	// Audit is the audit trail (default 6 years, the least HIPAA allows).
	Audit Duration `yaml:"audit"`
}

func (r Retention) validate() error {
	if r.Originals.D < 24*time.Hour {
		return bad("retention.originals", "%s is less than a day", r.Originals)
	}
	if r.Audit.D < Years(6).D {
		return bad("retention.audit", "%s is less than the 6 years HIPAA requires the audit trail to be kept", r.Audit)
	}
	return nil
}

// Duration is a length of time in YAML: a Go duration ("720h") or a whole
// number of days ("30d") or years ("7y", 365 days each).
type Duration struct{ D time.Duration }

// Years is n years of 365 days.
func Years(n int) Duration { return Duration{time.Duration(n) * 365 * 24 * time.Hour} }

func (d Duration) String() string {
	const day = 24 * time.Hour
	switch {
	case d.D%(365*day) == 0 && d.D > 0:
		return fmt.Sprintf("%dy", d.D/(365*day))
	case d.D%day == 0 && d.D > 0:
		return fmt.Sprintf("%dd", d.D/day)
	}
	return d.D.String()
}

// UnmarshalYAML reads "7y", "30d" or a Go duration.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	const day = 24 * time.Hour
	for _, u := range []struct {
		suffix string
		unit   time.Duration
	}{{"y", 365 * day}, {"d", day}} {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			var v int
			if _, err := fmt.Sscanf(num, "%d", &v); err != nil || fmt.Sprint(v) != num || v < 0 {
				return fmt.Errorf("%q is not a whole number of %s", s, map[string]string{"y": "years", "d": "days"}[u.suffix])
			}
			d.D = time.Duration(v) * u.unit
			return nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 7y, 30d or 720h", s)
	}
	d.D = v
	return nil
}
