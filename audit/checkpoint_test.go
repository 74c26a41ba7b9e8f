package audit

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCheckpoint(t *testing.T) { eachBackend(t, testCheckpoint) }

func testCheckpoint(t *testing.T, backend string) {
	tr, _, dir := verifyFixtureOn(t, backend) // checkpoints at 14:10 and 14:21 already
	var buf bytes.Buffer
	cp, err := tr.Checkpoint(t.Context(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	head, err := tr.List(t.Context(), Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := Checkpoint{Seq: 20, Hash: head[0].Hash, At: time.Date(2026, 11, 20, 14, 22, 0, 0, time.UTC), Key: keyID(testKey.Public().(ed25519.PublicKey)), Sig: cp.Sig}
	if cp != want || !cp.signatureValid(testKey.Public().(ed25519.PublicKey)) {
		t.Errorf("Checkpoint = %+v, want %+v", cp, want)
	}
	line := buf.String()
	re := regexp.MustCompile(`^rxintake-audit-checkpoint v2 seq=20 hash=[0-9a-f]{64} at=2026-11-20T14:22:00Z key=[0-9a-f]{16} sig=[A-Za-z0-9_-]{86}\n$`)
	if !re.MatchString(line) {
		t.Errorf("checkpoint line %q does not match %s", line, re)
	}
	if line != cp.Line()+"\n" {
		t.Errorf("written %q, Line() %q", line, cp.Line())
	}

	// Recorded in the checkpoint directory, durably: no temp file left.
	got, err := os.ReadFile(filepath.Join(CheckpointDir(dir), "checkpoint-20261120T142200Z-seq20.txt"))
	if err != nil || string(got) != line {
		t.Errorf("checkpoint file = %q, %v; want %q", got, err, line)
	}
	ents, err := os.ReadDir(CheckpointDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	wantNames := "checkpoint-20261120T141000Z-seq10.txt checkpoint-20261120T142100Z-seq20.txt checkpoint-20261120T142200Z-seq20.txt"
	if strings.Join(names, " ") != wantNames {
		t.Errorf("checkpoint directory holds %q, want %q", names, wantNames)
	}

	rep, err := tr.Verify(t.Context())
	if err != nil || !rep.OK || rep.Checkpoints != 6 {
		t.Errorf("Verify = %+v, %v; want OK against 6 checkpoints", rep, err)
	}
}

func TestCheckpointEmptyTrail(t *testing.T) { eachBackend(t, testCheckpointEmptyTrail) }

func testCheckpointEmptyTrail(t *testing.T, backend string) {
	tr, _, _ := newTestTrailOn(t, backend)
	cp, err := tr.Checkpoint(t.Context(), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cp.Seq != 0 || cp.Hash != genesisHash {
		t.Errorf("Checkpoint = %+v, want seq 0 and the genesis hash", cp)
	}
	rep, err := tr.Verify(t.Context())
	if err != nil || !rep.OK {
		t.Errorf("Verify = %+v, %v", rep, err)
	}
}

func TestParseCheckpoints(t *testing.T) {
	a := Checkpoint{Seq: 1839, Hash: strings.Repeat("3f", 32), At: time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC), Source: "digest"}
	b := Checkpoint{Seq: 2001, Hash: strings.Repeat("a0", 32), At: time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC), Source: "digest"}
	c := b
	c.sign(testKey)
	tests := []struct {
		name string
		text string
		want []Checkpoint
		err  bool
	}{
		{"one line", a.Line() + "\n", []Checkpoint{a}, false},
		{
			"in an email, wrapped between fields",
			"Daily digest\n\n12 cases read.\n" + strings.Replace(a.Line(), " at=", "\n  at=", 1) + "\nThanks\n" + b.Line(),
			[]Checkpoint{a, b}, false,
		},
		{"none", "no checkpoint here", nil, false},
		{"seq altered", strings.Replace(a.Line(), "seq=1839", "seq=1838", 1), nil, true},
		{"hash altered", strings.Replace(a.Line(), "hash=3f", "hash=4f", 1), nil, true},
		{"cut short", a.Line()[:60], nil, true},
		{"unknown version", strings.Replace(a.Line(), " v1 ", " v3 ", 1), nil, true},
		{"signed", c.Line() + "\n", []Checkpoint{c}, false},
		{"signed, cut short", strings.TrimSuffix(c.Line(), " sig="+c.Sig), nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseCheckpoints(tc.text, "digest")
			if tc.err {
				if !errors.Is(err, ErrCheckpoint) {
					t.Errorf("err = %v, want ErrCheckpoint", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d checkpoints, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("checkpoint %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestVerifyAgainst: an attacker who removes the last entries and every
// checkpoint kept on the server defeats Verify, but not the checkpoint the
// manager archived.
func TestVerifyAgainst(t *testing.T) {
	tr, db, dir := verifyFixture(t)
	archive := t.TempDir()
	path, err := tr.WriteCheckpointFile(t.Context(), archive)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(archive, "checkpoint-20261120T142200Z-seq20.txt"); path != want {
		t.Errorf("WriteCheckpointFile = %s, want %s", path, want)
	}
	if _, err := os.Stat(filepath.Join(CheckpointDir(dir), filepath.Base(path))); err != nil {
		t.Errorf("checkpoint not also kept in the data directory: %v", err)
	}
	line, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	digest := filepath.Join(archive, "digest.txt")
	if err := os.WriteFile(digest, []byte("Subject: rxintake daily digest\n\nAudit checkpoint:\n"+string(line)), 0o600); err != nil {
		t.Fatal(err)
	}

	rep, err := tr.VerifyAgainst(t.Context(), digest)
	if err != nil || !rep.OK || rep.Checkpoints != 7 {
		t.Fatalf("VerifyAgainst before tampering = %+v, %v; want OK against 7 checkpoints", rep, err)
	}

	tamper(t, db, `DELETE FROM audit_trail WHERE seq > 17`,
		`UPDATE sqlite_sequence SET seq = 17 WHERE name = 'audit_trail'`,
		`DELETE FROM audit_checkpoint`)
	if err := os.RemoveAll(CheckpointDir(dir)); err != nil {
		t.Fatal(err)
	}
	rep, err = tr.Verify(t.Context())
	if err != nil || !rep.OK {
		t.Fatalf("Verify = %+v, %v; this attack leaves nothing on the server to catch it", rep, err)
	}
	for _, file := range []string{path, digest} {
		rep, err = tr.VerifyAgainst(t.Context(), file)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s", rep)
		want := "entries 18 to 20 were removed from the end of the trail: it now ends at entry 17 (recorded 2026-11-20 14:17 UTC), but the checkpoint taken 2026-11-20 14:22 UTC recorded entry 20"
		if rep.OK || rep.FirstBad != 18 || rep.Problem != want {
			t.Errorf("VerifyAgainst(%s) = %+v\nwant problem %q", filepath.Base(file), rep, want)
		}
	}
}

func TestVerifyAgainstBadFile(t *testing.T) {
	tr, _, _ := newTestTrail(t)
	fillTrail(t, tr, 2)
	dir := t.TempDir()
	path, err := tr.WriteCheckpointFile(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for name, file := range map[string]string{
		"missing": filepath.Join(dir, "nope.txt"),
		"empty":   write("empty.txt", "just a note\n"),
		"damaged": write("damaged.txt", strings.Replace(string(b), " at=", " at", 1)),
	} {
		if _, err := tr.VerifyAgainst(t.Context(), file); !errors.Is(err, ErrCheckpoint) {
			t.Errorf("%s file: err = %v, want ErrCheckpoint", name, err)
		}
	}
	// A signed line altered is read, and fails its signature.
	rep, err := tr.VerifyAgainst(t.Context(), write("altered.txt", strings.Replace(string(b), "seq=2", "seq=3", 1)))
	if err != nil || rep.OK || !strings.Contains(rep.Problem, "(in altered.txt) does not match its signature: it was forged or altered") {
		t.Errorf("altered file: %v, %v; want a signature that does not match", rep, err)
	}
}
