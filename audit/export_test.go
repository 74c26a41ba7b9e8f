package audit

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
)

// storedRows returns the trail as stored, which both exports must reproduce.
func storedRows(t *testing.T, tr *Trail) []row {
	t.Helper()
	var rs []row
	if err := tr.eachRow(t.Context(), func(r row) error { rs = append(rs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return rs
}

// checkArchive compares exported rows with the stored ones and recomputes
// the chain from the export alone.
func checkArchive(t *testing.T, got, want []row) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("exported %d entries, want %d", len(got), len(want))
	}
	prev := genesisHash
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("entry %d exported as\n  %+v\nstored as\n  %+v", want[i].seq, got[i], want[i])
		}
		if got[i].prev != prev || got[i].computeHash(got[i].seq, got[i].prev) != got[i].hash {
			t.Errorf("entry %d: the exported chain does not verify", got[i].seq)
		}
		prev = got[i].hash
	}
}

func TestExportCSV(t *testing.T) { eachBackend(t, testExportCSV) }

func testExportCSV(t *testing.T, backend string) {
	testClock(t)
	tr, _, _ := newTestTrailOn(t, backend)
	fillTrail(t, tr, 20)
	var buf bytes.Buffer
	if err := tr.ExportCSV(t.Context(), &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], ExportColumns) {
		t.Errorf("header = %q, want %q", recs[0], ExportColumns)
	}
	var got []row
	for _, r := range recs[1:] {
		seq, err := strconv.ParseInt(r[0], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, row{seq, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]})
	}
	checkArchive(t, got, storedRows(t, tr))
}

// readJSONL parses an ExportJSONL stream back into rows.
func readJSONL(t *testing.T, b []byte) []row {
	t.Helper()
	var rs []row
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var e struct {
			Seq      int64           `json:"seq"`
			At       string          `json:"at"`
			Actor    string          `json:"actor"`
			CaseID   string          `json:"case_id"`
			Event    string          `json:"event"`
			Outcome  string          `json:"outcome"`
			Detail   json.RawMessage `json:"detail"`
			PrevHash string          `json:"prev_hash"`
			Hash     string          `json:"hash"`
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", sc.Bytes(), err)
		}
		detail := string(e.Detail)
		if detail != "" && detail[0] == '"' { // a damaged detail, kept as text
			if err := json.Unmarshal(e.Detail, &detail); err != nil {
				t.Fatal(err)
			}
		}
		rs = append(rs, row{e.Seq, e.At, e.Actor, e.CaseID, e.Event, e.Outcome, detail, e.PrevHash, e.Hash})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestExportJSONL(t *testing.T) { eachBackend(t, testExportJSONL) }

func testExportJSONL(t *testing.T, backend string) {
	testClock(t)
	tr, db, _ := newTestTrailOn(t, backend)
	fillTrail(t, tr, 20)
	var buf bytes.Buffer
	if err := tr.ExportJSONL(t.Context(), &buf); err != nil {
		t.Fatal(err)
	}
	checkArchive(t, readJSONL(t, buf.Bytes()), storedRows(t, tr))

	// A damaged detail (not compact JSON) still exports, byte for byte, so
	// that the archive shows the same break as the database.
	tamper(t, db, `UPDATE audit_trail SET detail = '{ "pages": 2 }' WHERE seq = 3`)
	buf.Reset()
	if err := tr.ExportJSONL(t.Context(), &buf); err != nil {
		t.Fatal(err)
	}
	got, stored := readJSONL(t, buf.Bytes()), storedRows(t, tr)
	if !slices.Equal(got, stored) {
		t.Errorf("damaged trail exported as\n  %+v\nstored as\n  %+v", got, stored)
	}
	if got[2].detail != `{ "pages": 2 }` {
		t.Errorf("damaged detail exported as %q", got[2].detail)
	}
}

func TestTrailList(t *testing.T) { eachBackend(t, testTrailList) }

func testTrailList(t *testing.T, backend string) {
	testClock(t)
	tr, _, _ := newTestTrailOn(t, backend)
	fillTrail(t, tr, 20) // see trailEvents for who did what to which case
	tests := []struct {
		name string
		f    Filter
		want []int64
	}{
		{"all, default limit", Filter{}, []int64{20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
		{"case", Filter{CaseID: "C-2"}, []int64{13, 12}},
		{"event", Filter{Event: EventUserSignInFailed}, []int64{16, 15}},
		{"actor", Filter{Actor: "user:maria"}, []int64{15, 14, 13, 12}},
		{"case and event", Filter{CaseID: "C-1", Event: EventCaseOpened}, []int64{20, 2}},
		{"case, first page", Filter{CaseID: "C-1", Limit: 5}, []int64{20, 18, 11, 10, 9}},
		{"case, second page", Filter{CaseID: "C-1", Limit: 5, Before: 9}, []int64{8, 7, 6, 5, 4}},
		{"case, last page", Filter{CaseID: "C-1", Limit: 5, Before: 4}, []int64{3, 2}},
		{"no match", Filter{CaseID: "C-9"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			es, err := tr.List(t.Context(), tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, e := range es {
				got = append(got, e.Seq)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("List(%+v) = %v, want %v", tc.f, got, tc.want)
			}
		})
	}
}
