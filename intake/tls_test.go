package intake

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"rxintake/internal/testserver"
)

// selfSigned makes a certificate that signs itself, for the names given,
// valid until notAfter; it returns it and the PEM file of the certificate.
func selfSigned(t *testing.T, notAfter time.Time, ips []net.IP, names ...string) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "imap self-signed"},
		NotBefore: notAfter.Add(-48 * time.Hour), NotAfter: notAfter,
		IPAddresses: ips, DNSNames: names, BasicConstraintsValid: true, IsCA: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	cert, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(file, certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return cert, file
}

// tlsMemServer is the in-memory IMAP server behind implicit TLS with cert.
func tlsMemServer(t *testing.T, cert tls.Certificate) server {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(testUser, testPassword)
	user.Create("INBOX", nil)
	mem.AddUser(user)
	s := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:   imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapMove: {}, imap.CapUIDPlus: {}},
		Logger: log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	go s.Serve(tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}}))
	t.Cleanup(func() { s.Close() })
	return server{host: "127.0.0.1", port: port, tlsMode: "implicit", user: testUser, password: testPassword}
}

// TestCertificateChecks: the mailbox's certificate is verified. A
// self-signed one is refused unless mailbox.ca_file holds it (another CA
// does not do); an expired one, or one for another name, is refused even
// then.
func TestCertificateChecks(t *testing.T) {
	loop := []net.IP{net.IPv4(127, 0, 0, 1)}
	good, goodFile := selfSigned(t, time.Now().Add(24*time.Hour), loop)
	expired, expiredFile := selfSigned(t, time.Now().Add(-time.Hour), loop)
	misnamed, misnamedFile := selfSigned(t, time.Now().Add(24*time.Hour), nil, "imap.other.example")
	other := testserver.NewCA(t).File
	var (
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
	)
	for _, tt := range []struct {
		name   string
		cert   tls.Certificate
		caFile string
		want   any // nil: the cycle runs
	}{
		{"self-signed, no ca_file", good, "", &unknown},
		{"self-signed, another CA in ca_file", good, other, &unknown},
		{"self-signed, itself in ca_file", good, goodFile, nil},
		{"expired, itself in ca_file", expired, expiredFile, &invalid},
		{"for another name, itself in ca_file", misnamed, misnamedFile, &hostname},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := tlsMemServer(t, tt.cert)
			srv.caFile = tt.caFile
			cfg := testConfig(t, t.TempDir(), srv, "", "")
			h := newHarness(t, cfg, Options{})
			_, err := h.w.RunCycle(context.Background())
			if tt.want == nil {
				if err != nil {
					t.Errorf("cycle: %v, want it to run", err)
				}
				return
			}
			if !errors.As(err, tt.want) {
				t.Errorf("cycle: %v, want %T", err, tt.want)
			}
			if h.countCases(t) != 0 {
				t.Error("a case was opened over an unverified connection")
			}
		})
	}
}
