package audit

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Report is the result of Verify. A trail that could not be read at all is
// an error instead.
type Report struct {
	OK      bool
	Entries int    // entries present
	HeadSeq int64  // seq of the last entry, 0 when empty
	Head    string // hash of the last entry (the genesis value when empty)
	// Checkpoints counts the checkpoint copies compared: one taken with a
	// CheckpointDir is counted twice, its record and its file.
	Checkpoints int
	// FirstBad is the seq of the first entry changed, removed, moved or
	// added; 0 when OK, or when the problem is a damaged checkpoint rather
	// than an entry.
	FirstBad int64
	// Problem says what is wrong in a sentence an office manager can act
	// on; empty when OK.
	Problem string
	// Anchor is the last entry a signed checkpoint covers, 0 for none.
	Anchor int64
	// Unanchored is true for an intact trail with entries after Anchor:
	// nothing kept off the machine shows that they are as written.
	// UnanchoredSince is when the first of them was written.
	Unanchored      bool
	UnanchoredSince time.Time
	// NoKey is true when Verify had no public key to check signatures.
	NoKey bool
	// PurgedThrough is the last entry removed by a retention purge, 0
	// for none: the trail begins after it.
	PurgedThrough int64
}

// String is the report as one line, for the command line and the digest.
func (r Report) String() string {
	if !r.OK {
		return "audit trail NOT intact: " + r.Problem
	}
	if r.Unanchored {
		after := "no signed checkpoint covers " + entries(1, r.HeadSeq)
		if r.Anchor > 0 {
			after = fmt.Sprintf("%s written after the last signed checkpoint (entry %d)", entries(r.Anchor+1, r.HeadSeq), r.Anchor)
		}
		s := fmt.Sprintf("audit trail unanchored since %s: %s; %d entries, last entry %d (hash %.16s), matches %d checkpoints",
			r.UnanchoredSince.UTC().Format("2006-01-02 15:04 UTC"), after, r.Entries, r.HeadSeq, r.Head, r.Checkpoints)
		if r.NoKey {
			s += "; no checkpoint key is configured (audit.checkpoint_key_file or audit.checkpoint_public_key)"
		}
		return s
	}
	s := fmt.Sprintf("audit trail intact: %d entries, last entry %d (hash %.16s), matches %d checkpoints",
		r.Entries, r.HeadSeq, r.Head, r.Checkpoints)
	if r.PurgedThrough > 0 {
		s += fmt.Sprintf("; entries up to %d purged for retention", r.PurgedThrough)
	}
	return s
}

// Verify recomputes the chain from the first entry and compares it with every
// checkpoint in the checkpoint table and in TrailOptions.CheckpointDir,
// checks the signature of every signed checkpoint with
// TrailOptions.PublicKey, and compares the case records with their last
// case-state entries (case_state.go). The report names the first entry that
// was changed, removed or reordered, the entries missing from the end, a
// forged checkpoint or a case changed outside the trail. An intact trail
// with entries after the last signed checkpoint is Unanchored. The error is
// for a trail that could not be read (ErrStore).
func (t *Trail) Verify(ctx context.Context) (Report, error) {
	return t.verify(ctx, nil)
}

// VerifyAgainst is Verify with, in addition, the checkpoints in
// checkpointFile: a file written by WriteCheckpointFile, or any text (a saved
// digest email) holding checkpoint lines. A file that cannot be read, holds
// no checkpoint or a damaged one is an error (ErrCheckpoint).
func (t *Trail) VerifyAgainst(ctx context.Context, checkpointFile string) (Report, error) {
	cps, err := readCheckpointFile(checkpointFile)
	if err != nil {
		return Report{}, err
	}
	if len(cps) == 0 {
		return Report{}, fmt.Errorf("%w: %s holds no checkpoint line", ErrCheckpoint, checkpointFile)
	}
	return t.verify(ctx, cps)
}

func (t *Trail) verify(ctx context.Context, cps []Checkpoint) (Report, error) {
	fail := func(err error) (Report, error) { return Report{}, fmt.Errorf("%w: verify: %v", ErrStore, err) }

	// Checkpoint files are read before the database snapshot is taken: a
	// file is written after its checkpoint's transaction commits, so every
	// file seen here describes entries the snapshot holds.
	var damaged []error
	if t.opts.CheckpointDir != "" {
		fcps, bad, err := readCheckpointDir(t.opts.CheckpointDir)
		if err != nil {
			return Report{}, err
		}
		cps = append(cps, fcps...)
		damaged = append(damaged, bad...)
	}

	tx, err := t.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()

	tcps, bad, err := tableCheckpoints(ctx, tx)
	if err != nil {
		return fail(err)
	}
	cps = append(cps, tcps...)
	damaged = append(damaged, bad...)

	// Signatures: a signed checkpoint that fails is a forgery or an
	// alteration; one that holds anchors the trail up to its entry.
	var anchor int64
	sigProblem := ""
	pub := t.opts.PublicKey
	for _, cp := range cps {
		switch {
		case !cp.Signed():
		case pub == nil:
		case cp.signatureValid(pub):
			anchor = max(anchor, cp.Seq)
		case sigProblem == "" && cp.Key != keyID(pub):
			sigProblem = fmt.Sprintf("the checkpoint taken %s (in %s) was signed with another key (%s): it was forged, or the configured checkpoint key is not the one that signed",
				cp.At.UTC().Format("2006-01-02 15:04 UTC"), cp.Source, cp.Key)
		case sigProblem == "":
			sigProblem = fmt.Sprintf("the checkpoint taken %s (in %s) does not match its signature: it was forged or altered",
				cp.At.UTC().Format("2006-01-02 15:04 UTC"), cp.Source)
		}
	}

	// The trail begins after the last retention purge (purge.go), if any:
	// its first entry chains to the purged checkpoint's hash, which a
	// checkpoint must vouch for.
	baseSeq, baseHash, err := purgeBase(ctx, tx)
	if err != nil {
		return fail(err)
	}
	purgeProblem := ""
	if baseSeq > 0 && !slices.ContainsFunc(cps, func(cp Checkpoint) bool { return cp.Seq == baseSeq && cp.Hash == baseHash }) {
		purgeProblem = fmt.Sprintf("the trail's beginning up to entry %d was removed, and no checkpoint records that entry as the purge says", baseSeq)
	}
	// Checkpoints of entries purged were checked by the purge.
	current := slices.DeleteFunc(slices.Clone(cps), func(cp Checkpoint) bool { return cp.Seq < baseSeq })

	// hashAt collects the stored hash at every checkpointed seq.
	hashAt := make(map[int64]string, len(cps))
	for _, cp := range current {
		hashAt[cp.Seq] = ""
	}
	hashAt[0] = genesisHash
	hashAt[baseSeq] = baseHash

	v := chainCheck{last: row{seq: baseSeq}, prevHash: baseHash}
	unanchoredAt := "" // the first entry after the anchor
	rows, err := tx.QueryContext(ctx, `SELECT `+rowColumns+` FROM audit_trail ORDER BY seq`)
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			rows.Close()
			return fail(err)
		}
		v.next(r)
		if r.seq > anchor && unanchoredAt == "" {
			unanchoredAt = r.at
		}
		if _, ok := hashAt[r.seq]; ok && r.seq > 0 {
			hashAt[r.seq] = r.hash
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	rows.Close()

	rep := Report{Entries: v.entries, HeadSeq: v.last.seq, Head: v.prevHash, Checkpoints: len(cps), Anchor: anchor, NoKey: pub == nil,
		PurgedThrough: baseSeq}
	if v.bad != nil {
		// An entry whose own hash fails may have been moved rather than
		// edited: look for where its record went.
		if err := v.diagnose(ctx, tx); err != nil {
			return fail(err)
		}
	}
	maxSeq, err := highestSeq(ctx, tx, t.d)
	if err != nil {
		return fail(err)
	}

	switch {
	case purgeProblem != "":
		rep.FirstBad, rep.Problem = 1, purgeProblem
	case v.problem != "":
		rep.FirstBad, rep.Problem = v.firstBad, v.problem
	case sigProblem != "":
		rep.Problem = sigProblem
	default:
		rep.FirstBad, rep.Problem = compareCheckpoints(current, hashAt, v.last, maxSeq)
	}
	if rep.Problem == "" && len(damaged) > 0 {
		reason := strings.TrimPrefix(damaged[0].Error(), ErrCheckpoint.Error()+": ")
		rep.Problem = "a checkpoint cannot be trusted: " + reason
	}
	if rep.Problem == "" {
		if rep.Problem, err = checkCases(ctx, tx, t.d); err != nil {
			return fail(err)
		}
	}
	rep.OK = rep.Problem == ""
	if rep.OK && v.last.seq > anchor {
		rep.Unanchored = true
		rep.UnanchoredSince, _ = time.Parse(time.RFC3339Nano, unanchoredAt)
	}
	return rep, nil
}

// tableCheckpoints reads the checkpoint table; a damaged record is returned
// in bad.
func tableCheckpoints(ctx context.Context, tx *sql.Tx) (cps []Checkpoint, bad []error, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, line FROM audit_checkpoint ORDER BY id`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var line string
		if err := rows.Scan(&id, &line); err != nil {
			return nil, nil, err
		}
		source := fmt.Sprintf("the database (record %d)", id)
		c, err := parseCheckpoints(line, source)
		if err == nil && len(c) != 1 {
			err = fmt.Errorf("%w: a checkpoint in %s is not in the expected format", ErrCheckpoint, source)
		}
		if err != nil {
			bad = append(bad, err)
			continue
		}
		cps = append(cps, c...)
	}
	return cps, bad, rows.Err()
}

// chainCheck walks the entries in seq order and keeps the first break.
type chainCheck struct {
	entries  int
	last     row    // the previous entry
	prevHash string // its stored hash, what the next entry must chain to
	firstBad int64
	problem  string
	bad      *row // an entry whose own hash fails, to diagnose
}

func (v *chainCheck) next(r row) {
	defer func() { v.entries++; v.last = r; v.prevHash = r.hash }()
	if v.problem != "" {
		return
	}
	switch {
	case r.seq <= v.last.seq: // only a seq below 1 sorts before the first entry
		v.firstBad = r.seq
		v.problem = fmt.Sprintf("an entry numbered %d was added to the trail by something other than rxintake (recorded %s, event %s)",
			r.seq, when(r.at), r.event)
	case r.seq != v.last.seq+1:
		first, last := v.last.seq+1, r.seq-1
		v.firstBad = first
		switch {
		case first == last && v.entries == 0:
			v.problem = fmt.Sprintf("entry %d, the first of the trail, was removed (it was written before %s)", first, when(r.at))
		case v.entries == 0:
			v.problem = fmt.Sprintf("entries %d to %d, at the beginning of the trail, were removed (they were written before %s)", first, last, when(r.at))
		case first == last:
			v.problem = fmt.Sprintf("entry %d was removed (it was written between %s and %s)", first, when(v.last.at), when(r.at))
		default:
			v.problem = fmt.Sprintf("entries %d to %d were removed (they were written between %s and %s)", first, last, when(v.last.at), when(r.at))
		}
	case r.computeHash(r.seq, r.prev) != r.hash:
		v.firstBad = r.seq
		v.problem = changed(r)
		v.bad = &r
	case r.prev != v.prevHash && v.entries == 0:
		v.firstBad = r.seq
		v.problem = changed(r)
	case r.prev != v.prevHash:
		// r is intact and follows without a gap, but it was chained to a
		// different entry before it: that one was rewritten, hash and all.
		v.firstBad = v.last.seq
		v.problem = fmt.Sprintf("entry %d was changed after it was written (recorded %s, event %s): entry %d, written after it, no longer matches it",
			v.last.seq, when(v.last.at), v.last.event, r.seq)
	}
}

func changed(r row) string {
	return fmt.Sprintf("entry %d was changed after it was written (recorded %s, event %s)", r.seq, when(r.at), r.event)
}

// diagnose looks for the record of v.bad elsewhere in the trail. If the
// entry now at v.bad's place verifies as another entry, or another row holds
// the record that verifies at v.bad's place, entries were reordered.
func (v *chainCheck) diagnose(ctx context.Context, tx *sql.Tx) error {
	b := *v.bad
	rows, err := tx.QueryContext(ctx, `SELECT `+rowColumns+` FROM audit_trail WHERE seq <> ? ORDER BY seq`, b.seq)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return err
		}
		switch {
		case b.computeHash(r.seq, b.prev) == b.hash:
			// The record at b's place was written as entry r.seq.
			v.problem = fmt.Sprintf("the entries were reordered after they were written: entry %d (recorded %s, event %s) now sits where entry %d was",
				r.seq, when(b.at), b.event, b.seq)
			return nil
		case r.computeHash(b.seq, b.prev) == b.hash:
			// The record written as entry b.seq now sits at r's place.
			v.problem = fmt.Sprintf("the entries were reordered after they were written: entry %d (recorded %s, event %s) now sits where entry %d was",
				b.seq, when(r.at), r.event, r.seq)
			return nil
		}
	}
	return rows.Err()
}

// compareCheckpoints checks an intact chain, whose last entry is last,
// against the checkpoints and against the highest seq the database handed
// out. hashAt holds the stored hash at each checkpointed seq.
func compareCheckpoints(cps []Checkpoint, hashAt map[int64]string, last row, maxSeq int64) (int64, string) {
	slices.SortFunc(cps, func(a, b Checkpoint) int {
		return cmp.Or(cmp.Compare(a.Seq, b.Seq), a.At.Compare(b.At))
	})
	ends := fmt.Sprintf("it now ends at entry %d (recorded %s)", last.seq, when(last.at))
	if last.seq == 0 {
		ends = "it is now empty"
	}
	var matched int64 // highest checkpointed seq that matched
	for _, cp := range cps {
		if cp.Seq > last.seq {
			break
		}
		if hashAt[cp.Seq] == cp.Hash {
			matched = cp.Seq
			continue
		}
		after := "at or before entry " + fmt.Sprint(cp.Seq)
		if matched > 0 {
			after = fmt.Sprintf("between entries %d and %d", matched+1, cp.Seq)
		}
		return matched + 1, fmt.Sprintf("the trail was rewritten %s: it no longer matches the checkpoint taken %s",
			after, cp.At.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if n := len(cps); n > 0 && cps[n-1].Seq > last.seq {
		cp := cps[n-1]
		return last.seq + 1, fmt.Sprintf("%s removed from the end of the trail: %s, but the checkpoint taken %s recorded entry %d",
			entriesRange(last.seq+1, cp.Seq), ends, cp.At.UTC().Format("2006-01-02 15:04 UTC"), cp.Seq)
	}
	if maxSeq > last.seq {
		return last.seq + 1, fmt.Sprintf("%s removed from the end of the trail: %s, but the database had numbered entries up to %d",
			entriesRange(last.seq+1, maxSeq), ends, maxSeq)
	}
	return 0, ""
}

// entriesRange is the subject of a sentence about removed entries:
// "entry 7 was" or "entries 7 to 9 were".
func entriesRange(first, last int64) string {
	if first == last {
		return entries(first, last) + " was"
	}
	return entries(first, last) + " were"
}

// entries names a range of entries: "entry 7" or "entries 7 to 9".
func entries(first, last int64) string {
	if first == last {
		return fmt.Sprintf("entry %d", first)
	}
	return fmt.Sprintf("entries %d to %d", first, last)
}
