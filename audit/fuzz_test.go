package audit

import (
	"crypto/ed25519"
	"strings"
	"testing"
	"time"
)

// FuzzParseCheckpoints: a checkpoint file comes back from another machine
// or a mailbox (audit verify --against) and may have been edited. Parsing
// it finishes, finds no more checkpoints than it has tags, and each one it
// returns reads back the same from its own line.
func FuzzParseCheckpoints(f *testing.F) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	unsigned := Checkpoint{Seq: 42, Hash: strings.Repeat("ab", 32), At: at}
	signed := unsigned
	signed.sign(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	f.Add("")
	f.Add(unsigned.Line())
	f.Add("Subject: rxintake checkpoint\n\n" + signed.Line() + "\n" + unsigned.Line() + "\n")
	f.Add(strings.Replace(signed.Line(), " sig=", "\n sig=", 1))
	f.Add(checkpointTag + " x y z\n")
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<16 {
			return
		}
		cps, err := parseCheckpoints(text, "fuzz")
		if err != nil {
			return
		}
		if n := strings.Count(text, checkpointTag); len(cps) > n {
			t.Fatalf("%d checkpoints from %d tags", len(cps), n)
		}
		for _, cp := range cps {
			again, err := parseCheckpoints(cp.Line(), "fuzz")
			if err != nil || len(again) != 1 || again[0].Line() != cp.Line() {
				t.Errorf("checkpoint %q reads back as %v, %v", cp.Line(), again, err)
			}
		}
	})
}
