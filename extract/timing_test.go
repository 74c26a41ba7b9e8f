package extract

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimingsJSON(t *testing.T) {
	in := Timings{Decode: 1500 * time.Microsecond, Render: time.Second, OCR: 2 * time.Second, Fields: 3 * time.Millisecond,
		OCRPages: 2, OCRPasses: 3, OSDRuns: 1}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]float64
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["decode_s"] != 0.0015 || m["render_s"] != 1 || m["ocr_passes"] != 3 {
		t.Errorf("JSON %s", b)
	}
	var out Timings
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("round trip: %+v, %v; want %+v", out, err, in)
	}
	in.Add(in)
	if in.OCR != 4*time.Second || in.OCRPasses != 6 {
		t.Errorf("Add: %+v", in)
	}
}
