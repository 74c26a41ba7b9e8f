package audit

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Checkpoints are signed with an Ed25519 key kept outside data_dir
// (docs/audit.md). The private key is a PKCS#8 PEM file readable by its
// owner alone; the public key, which is all Verify needs, is written as
// "ed25519:" and its 32 bytes in base64, for audit.checkpoint_public_key
// and for anyone who checks a checkpoint kept off the machine.

// ErrKey reports a checkpoint key that cannot be used. It is permanent: the
// configuration or the file must change.
var ErrKey = errors.New("audit: checkpoint key")

const publicKeyPrefix = "ed25519:"

// WriteSigningKey creates a new key and writes it to path, which must not
// exist yet, readable by its owner only. It returns the public key.
func WriteSigningKey(path string) (ed25519.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("%w: generate: %v", ErrKey, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("%w: encode: %v", ErrKey, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	err = pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	err = errors.Join(err, f.Sync(), f.Close())
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("%w: write %s: %v", ErrKey, path, err)
	}
	return pub, nil
}

// LoadSigningKey reads the key at path. It refuses a key inside dataDir
// (whoever can rewrite the trail could then sign for it, and a backup of
// data_dir would carry it) and a file that its group or others may read or
// write.
func LoadSigningKey(path, dataDir string) (ed25519.PrivateKey, error) {
	if inside, err := within(path, dataDir); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	} else if inside {
		return nil, fmt.Errorf("%w: %s is inside data_dir %s: keep the key on another disk or directory, out of data_dir's backups", ErrKey, path, dataDir)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrKey, path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has permissions %04o: its group and others must have none (chmod 600 %s)", ErrKey, path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%w: %s holds no PEM private key (make one with rxintake audit keygen)", ErrKey, path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrKey, path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: %s is not an Ed25519 key", ErrKey, path)
	}
	return priv, nil
}

// within reports whether path is dataDir or lies under it, after resolving
// symbolic links in both.
func within(path, dataDir string) (bool, error) {
	resolve := func(p string) (string, error) {
		p, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		// Resolve the longest existing prefix: the data directory may not
		// exist yet.
		rest := ""
		for {
			if r, err := filepath.EvalSymlinks(p); err == nil {
				return filepath.Join(r, rest), nil
			}
			parent := filepath.Dir(p)
			if parent == p {
				return filepath.Join(p, rest), nil
			}
			rest = filepath.Join(filepath.Base(p), rest)
			p = parent
		}
	}
	k, err := resolve(path)
	if err != nil {
		return false, err
	}
	d, err := resolve(dataDir)
	if err != nil {
		return false, err
	}
	rel, err := filepath.Rel(d, k)
	if err != nil {
		return false, nil
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))), nil
}

// FormatPublicKey writes a public key as "ed25519:BASE64".
func FormatPublicKey(pub ed25519.PublicKey) string {
	return publicKeyPrefix + base64.StdEncoding.EncodeToString(pub)
}

// ParsePublicKey reads what FormatPublicKey writes.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b64, ok := strings.CutPrefix(strings.TrimSpace(s), publicKeyPrefix)
	b, err := base64.StdEncoding.DecodeString(b64)
	if !ok || err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: %q is not an Ed25519 public key (ed25519: and 44 characters of base64)", ErrKey, s)
	}
	return ed25519.PublicKey(b), nil
}

// keyID names a public key in a checkpoint line: the start of its SHA-256.
func keyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}
