// Package dovecot starts a throwaway Dovecot IMAP server for integration
// tests: loopback ports, a configuration, passwd-file and maildirs in a test
// directory, TLS with the certificate the test gives. As root, Dovecot's
// processes run as the users its package creates (dovecot, dovenull) and
// mail is accessed as nobody; as anyone else, everything runs as that user.
// Without the dovecot binary the test is skipped, unless CI=true: then it
// fails.
package dovecot

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"rxintake/internal/testserver"
)

// Server is a Dovecot master process serving IMAP (STARTTLS) and IMAPS on
// loopback ports.
type Server struct {
	Dir                 string
	IMAPPort, IMAPSPort int
	bin, conf           string
	proc                *testserver.Process
}

// Stop stops Dovecot, as a mail server that goes down; the mail stays.
func (s *Server) Stop() { s.proc.Stop() }

// Restart starts a stopped Dovecot again, on the same ports with the same
// accounts and mail.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.proc.Stop()
	s.proc = testserver.Start(t, "dovecot", exec.Command(s.bin, "-F", "-c", s.conf), "starting up")
}

// Binary returns the path of the dovecot binary, or "" when it is missing.
func Binary() string {
	if p, err := exec.LookPath("dovecot"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/dovecot", "/usr/local/sbin/dovecot"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Start starts Dovecot with the accounts named, all with password, and
// stops it when the test ends.
func Start(t testing.TB, certFile, keyFile, password string, accounts ...string) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		const why = "dovecot is not installed (apt-get install dovecot-imapd)"
		if os.Getenv("CI") == "true" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	dir := t.TempDir()
	for _, sub := range []string{"run", "state", "mail"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	internalUser, internalGroup, loginUser := "dovecot", "dovecot", "dovenull"
	mailUID, mailGID := 65534, 65534 // nobody: Dovecot refuses mail access as root
	if os.Geteuid() == 0 {
		// The mail user must reach its maildirs below the test's private
		// temporary directories.
		for p := dir; p != os.TempDir() && p != "/"; p = filepath.Dir(p) {
			if err := os.Chmod(p, 0o711); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chown(filepath.Join(dir, "mail"), mailUID, mailGID); err != nil {
			t.Fatal(err)
		}
	} else {
		u, err := user.Current()
		if err != nil {
			t.Fatal(err)
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			t.Fatal(err)
		}
		internalUser, internalGroup, loginUser = u.Username, g.Name, u.Username
		mailUID, mailGID = os.Geteuid(), os.Getegid()
	}
	s := &Server{Dir: dir, IMAPPort: testserver.FreePort(t), IMAPSPort: testserver.FreePort(t)}
	// All accounts up front: Dovecot looks at a changed passwd-file at most
	// once a second. The auth process reads it as the internal user.
	var passwd strings.Builder
	for _, a := range accounts {
		fmt.Fprintf(&passwd, "%s:{PLAIN}%s:%d:%d::::\n", a, password, mailUID, mailGID)
	}
	if err := os.WriteFile(filepath.Join(dir, "passwd"), []byte(passwd.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`# rxintake test Dovecot
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = /dev/stderr
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <%[2]s
ssl_key = <%[3]s
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain
default_internal_user = %[6]s
default_internal_group = %[7]s
default_login_user = %[8]s
mail_location = maildir:%[1]s/mail/%%u
namespace inbox {
  inbox = yes
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%%u %[1]s/passwd
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[4]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[5]d
    ssl = yes
  }
}
`, dir, certFile, keyFile, s.IMAPPort, s.IMAPSPort, internalUser, internalGroup, loginUser)
	confFile := filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	// The master logs "starting up" once its listeners are bound.
	s.bin, s.conf = bin, confFile
	s.proc = testserver.Start(t, "dovecot", exec.Command(bin, "-F", "-c", confFile), "starting up")
	return s
}
