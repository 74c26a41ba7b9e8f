package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"rxintake/internal/safeio"

	"rxintake/internal/sqldb"
)

// A checkpoint is the head of the trail (last seq and its hash) at a moment,
// written as one line of text and signed with the checkpoint key
// (checkpoint_key.go):
//
//	rxintake-audit-checkpoint v2 seq=1839 hash=3f0c…e2 at=2026-11-21T06:00:00Z key=5be1…07 sig=Qm9…Aw
//
// key names the public key (the start of its SHA-256), and sig is the
// Ed25519 signature of the line up to " sig=", in unpadded base64url. A
// checkpoint without a key is written as version 1, with a check value in
// place of key and sig:
//
//	rxintake-audit-checkpoint v1 seq=1839 hash=3f0c…e2 at=2026-11-21T06:00:00Z check=9a41c0d2b7e65f18
//
// check is the start of the SHA-256 of the rest of the line: it catches a
// line altered or copied wrongly, but anyone can compute it. Only a signed
// checkpoint anchors the trail (docs/audit.md): whoever can rewrite the
// database can recompute every hash of the chain and every version 1 line,
// but cannot sign without the key, which lives outside data_dir. Copies are
// kept in the checkpoint table, in files under data_dir/audit-checkpoints,
// and off the machine (Deliver). Verify compares the trail with every
// checkpoint it knows: a checkpoint beyond the trail's last entry means
// entries were removed from the end; one whose hash differs from the
// trail's at that seq means the trail was rewritten; a signature that fails
// means a checkpoint was forged or altered.

// ErrCheckpoint reports a checkpoint that cannot be read or parsed. It is
// permanent for that file.
var ErrCheckpoint = errors.New("audit: bad checkpoint")

// CheckpointDirName is the directory under data_dir holding checkpoint files.
const CheckpointDirName = "audit-checkpoints"

// CheckpointDir returns the checkpoint directory of a data directory.
func CheckpointDir(dataDir string) string { return filepath.Join(dataDir, CheckpointDirName) }

const (
	checkpointTag     = "rxintake-audit-checkpoint"
	checkpointVersion = "v1" // unsigned
	signedVersion     = "v2"
	checkpointMaxFile = 1 << 20
)

// Checkpoint is the head of the trail at a moment.
type Checkpoint struct {
	Seq  int64     // the last entry; 0 for an empty trail
	Hash string    // its hash; for an empty trail the genesis value
	At   time.Time // when it was taken, to the second, UTC
	// Key and Sig are the signing key's id and the signature, for a
	// signed checkpoint; both empty for an unsigned one.
	Key, Sig string
	// Source says where the checkpoint was read: "the database" or a file
	// name. Empty for one just taken.
	Source string
}

func (c Checkpoint) body() string {
	if c.Key != "" {
		return fmt.Sprintf("%s %s seq=%d hash=%s at=%s key=%s", checkpointTag, signedVersion,
			c.Seq, c.Hash, c.At.UTC().Format(time.RFC3339), c.Key)
	}
	return fmt.Sprintf("%s %s seq=%d hash=%s at=%s", checkpointTag, checkpointVersion,
		c.Seq, c.Hash, c.At.UTC().Format(time.RFC3339))
}

// Signed reports whether the checkpoint carries a signature.
func (c Checkpoint) Signed() bool { return c.Key != "" }

// sign sets Key and Sig.
func (c *Checkpoint) sign(k ed25519.PrivateKey) {
	c.Key = keyID(k.Public().(ed25519.PublicKey))
	c.Sig = base64.RawURLEncoding.EncodeToString(ed25519.Sign(k, []byte(c.body())))
}

// signatureValid reports whether pub signed c.
func (c Checkpoint) signatureValid(pub ed25519.PublicKey) bool {
	sig, err := base64.RawURLEncoding.DecodeString(c.Sig)
	return err == nil && c.Key == keyID(pub) && ed25519.Verify(pub, []byte(c.body()), sig)
}

func checkValue(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:8])
}

// Line returns the checkpoint as its line of text, without a newline.
func (c Checkpoint) Line() string {
	b := c.body()
	if c.Key != "" {
		return b + " sig=" + c.Sig
	}
	return b + " check=" + checkValue(b)
}

// Checkpoint takes a checkpoint of the trail's head, records it in the
// checkpoint table and, when TrailOptions.CheckpointDir is set, in a file
// there, then writes its line (with a newline) to w, for an archive or a
// digest email.
func (t *Trail) Checkpoint(ctx context.Context, w io.Writer) (Checkpoint, error) {
	cp, err := t.takeCheckpoint(ctx)
	if err != nil {
		return Checkpoint{}, err
	}
	if _, err := io.WriteString(w, cp.Line()+"\n"); err != nil {
		return cp, fmt.Errorf("%w: write checkpoint: %v", ErrStore, err)
	}
	return cp, nil
}

// WriteCheckpointFile takes a checkpoint like Checkpoint and also writes it
// durably to a new file in dir (created if needed), returning the file's path.
func (t *Trail) WriteCheckpointFile(ctx context.Context, dir string) (string, error) {
	cp, err := t.takeCheckpoint(ctx)
	if err != nil {
		return "", err
	}
	if t.opts.CheckpointDir != "" && filepath.Clean(dir) == filepath.Clean(t.opts.CheckpointDir) {
		return filepath.Join(dir, checkpointFileName(cp)), nil
	}
	return writeCheckpointFile(dir, cp)
}

// takeCheckpoint records the case states that changed (case_state.go),
// reads the head, signs it and records the checkpoint in the table, in one
// transaction, then in CheckpointDir.
func (t *Trail) takeCheckpoint(ctx context.Context) (Checkpoint, error) {
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint: %v", ErrStore, err)
	}
	defer tx.Rollback()
	// The chain's lock first: no append may come between the case states
	// recorded and the head read (appendTx takes it again, a no-op).
	if err := sqldb.Lock(ctx, tx, t.d, chainLock); err != nil {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint: %v", ErrStore, err)
	}
	n, err := recordCaseStates(ctx, tx, t.d)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint: case records: %v", ErrStore, err)
	}
	cp := Checkpoint{Hash: genesisHash, At: timeNow().UTC().Truncate(time.Second)}
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1`).Scan(&cp.Seq, &cp.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint: read head: %v", ErrStore, err)
	}
	if t.opts.SigningKey != nil {
		cp.sign(t.opts.SigningKey)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_checkpoint (seq, hash, at, line) VALUES (?, ?, ?, ?)`,
		cp.Seq, cp.Hash, cp.At.Format(time.RFC3339), cp.Line())
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint: %v", ErrStore, err)
	}
	if err := tx.Commit(); err != nil {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint: commit: %v", ErrStore, err)
	}
	if t.opts.CheckpointDir != "" {
		if _, err := writeCheckpointFile(t.opts.CheckpointDir, cp); err != nil {
			return cp, err
		}
	}
	t.log.InfoContext(ctx, "audit checkpoint", "seq", cp.Seq, "hash", cp.Hash, "signed", cp.Signed(), "case_states", n)
	return cp, nil
}

// checkpointFileName sorts by time: checkpoint-20261121T060000Z-seq1839.txt.
func checkpointFileName(cp Checkpoint) string {
	return fmt.Sprintf("checkpoint-%s-seq%d.txt", cp.At.UTC().Format("20060102T150405Z"), cp.Seq)
}

// writeCheckpointFile writes cp to dir durably: temp file, fsync, rename,
// fsync of the directory.
func writeCheckpointFile(dir string, cp Checkpoint) (string, error) {
	path := filepath.Join(dir, checkpointFileName(cp))
	fail := func(err error) (string, error) {
		return "", fmt.Errorf("%w: write checkpoint file %s: %v", ErrStore, path, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fail(err)
	}
	if err := safeio.WriteFile(path, []byte(cp.Line()+"\n"), 0o600); err != nil {
		return fail(err)
	}
	return path, nil
}

// parseCheckpoints finds every checkpoint line in text. Lines may sit among
// other text (a pasted email) and may have been wrapped between fields. It
// fails on the first checkpoint that is malformed or whose check value does
// not match.
func parseCheckpoints(text, source string) ([]Checkpoint, error) {
	var cps []Checkpoint
	f := strings.Fields(text)
	for i := 0; i < len(f); i++ {
		if f[i] != checkpointTag {
			continue
		}
		which := "a checkpoint in " + source
		if len(cps) > 0 {
			which = fmt.Sprintf("checkpoint %d in %s", len(cps)+1, source)
		}
		signed := i+1 < len(f) && f[i+1] == signedVersion
		n := 5 // fields after the tag
		if signed {
			n = 6
		}
		if i+n >= len(f) || (f[i+1] != checkpointVersion && !signed) {
			return nil, fmt.Errorf("%w: %s is incomplete or of an unknown version", ErrCheckpoint, which)
		}
		var cp Checkpoint
		seq, okSeq := strings.CutPrefix(f[i+2], "seq=")
		hash, okHash := strings.CutPrefix(f[i+3], "hash=")
		at, okAt := strings.CutPrefix(f[i+4], "at=")
		okKey, okCheck := true, true
		var check string
		if signed {
			cp.Key, okKey = strings.CutPrefix(f[i+5], "key=")
			cp.Sig, okCheck = strings.CutPrefix(f[i+6], "sig=")
			okKey = okKey && cp.Key != "" && cp.Sig != ""
		} else {
			check, okCheck = strings.CutPrefix(f[i+5], "check=")
		}
		var err1, err2 error
		cp.Seq, err1 = strconv.ParseInt(seq, 10, 64)
		cp.At, err2 = time.Parse(time.RFC3339, at)
		cp.Hash = hash
		cp.Source = source
		if !okSeq || !okHash || !okAt || !okKey || !okCheck || err1 != nil || err2 != nil || cp.Seq < 0 || len(hash) != 64 {
			return nil, fmt.Errorf("%w: %s is not in the expected format", ErrCheckpoint, which)
		}
		if !signed && checkValue(strings.Join(f[i:i+5], " ")) != check {
			return nil, fmt.Errorf("%w: %s does not match its check value: it was altered or copied wrongly", ErrCheckpoint, which)
		}
		cps = append(cps, cp)
		i += n
	}
	return cps, nil
}

// readCheckpointFile reads the checkpoints of one file.
func readCheckpointFile(path string) ([]Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, checkpointMaxFile+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	if len(b) > checkpointMaxFile {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrCheckpoint, path, checkpointMaxFile)
	}
	return parseCheckpoints(string(b), filepath.Base(path))
}

// readCheckpointDir reads the checkpoint files of dir. A missing directory
// holds none. A file that cannot be parsed is returned in damaged, with why;
// err is for a directory or file that cannot be read at all.
func readCheckpointDir(dir string) (cps []Checkpoint, damaged []error, err error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w: read checkpoint directory: %v", ErrStore, err)
	}
	for _, e := range ents {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, "checkpoint-") || !strings.HasSuffix(name, ".txt") {
			continue
		}
		c, err := readCheckpointFile(filepath.Join(dir, name))
		switch {
		case err != nil && errors.Is(err, os.ErrNotExist):
			continue
		case err != nil && !errors.Is(err, os.ErrPermission):
			damaged = append(damaged, err)
			continue
		case err != nil:
			return nil, nil, fmt.Errorf("%w: %v", ErrStore, err)
		case len(c) == 0:
			damaged = append(damaged, fmt.Errorf("%w: %s holds no checkpoint", ErrCheckpoint, name))
		}
		cps = append(cps, c...)
	}
	return cps, damaged, nil
}
