package extract

import (
	"encoding/json"
	"math"
	"time"
)

// Timings is where the time of reading one document went, stage by stage,
// and how much OCR it took. The stages of the OCR workers run in parallel,
// so their sum may exceed the document's wall time. Filling it in costs a
// few clock readings per page; `rxintake extract --timings` prints it and
// `make bench` adds it up (docs/performance.md).
type Timings struct {
	Decode      time.Duration // walking the container: MIME, pdfinfo, pdftotext, the TIFF directory; decoding pixels
	Render      time.Duration // rasterising image-only PDF pages (pdftoppm)
	Preprocess  time.Duration // resampling, deskewing, removing form lines
	OCR         time.Duration // the first full-page recognition of each page
	Rereads     time.Duration // reading codes, numbers and doubtful words again, alone
	Orientation time.Duration // orientation detection and the readings of turned pages
	Image       time.Duration // encoding the page image kept for signature detection and review (PNG)
	Fields      time.Duration // reading the prescription's fields (ReadPrescription)
	Rules       time.Duration // applying the rules (package validate)

	OCRPages  int // pages recognised
	OCRPasses int // full-page recognitions: one per page, more for pages read turned
	OSDRuns   int // orientation detections
}

// Add adds the figures of u to t.
func (t *Timings) Add(u Timings) {
	t.Decode += u.Decode
	t.Render += u.Render
	t.Preprocess += u.Preprocess
	t.OCR += u.OCR
	t.Rereads += u.Rereads
	t.Orientation += u.Orientation
	t.Image += u.Image
	t.Fields += u.Fields
	t.Rules += u.Rules
	t.OCRPages += u.OCRPages
	t.OCRPasses += u.OCRPasses
	t.OSDRuns += u.OSDRuns
}

// timingsJSON is the form of Timings in a JSON line: seconds, to the
// microsecond.
type timingsJSON struct {
	Decode      float64 `json:"decode_s"`
	Render      float64 `json:"render_s"`
	Preprocess  float64 `json:"preprocess_s"`
	OCR         float64 `json:"ocr_s"`
	Rereads     float64 `json:"rereads_s"`
	Orientation float64 `json:"orientation_s"`
	Image       float64 `json:"image_s"`
	Fields      float64 `json:"fields_s"`
	Rules       float64 `json:"rules_s"`
	OCRPages    int     `json:"ocr_pages"`
	OCRPasses   int     `json:"ocr_passes"`
	OSDRuns     int     `json:"osd_runs"`
}

func seconds(d time.Duration) float64 { return math.Round(d.Seconds()*1e6) / 1e6 }

func duration(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }

// MarshalJSON writes the durations in seconds.
func (t Timings) MarshalJSON() ([]byte, error) {
	return json.Marshal(timingsJSON{seconds(t.Decode), seconds(t.Render), seconds(t.Preprocess), seconds(t.OCR),
		seconds(t.Rereads), seconds(t.Orientation), seconds(t.Image), seconds(t.Fields), seconds(t.Rules), t.OCRPages, t.OCRPasses, t.OSDRuns})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (t *Timings) UnmarshalJSON(b []byte) error {
	var j timingsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*t = Timings{duration(j.Decode), duration(j.Render), duration(j.Preprocess), duration(j.OCR), duration(j.Rereads),
		duration(j.Orientation), duration(j.Image), duration(j.Fields), duration(j.Rules), j.OCRPages, j.OCRPasses, j.OSDRuns}
	return nil
}

// stopwatch measures consecutive stages: each lap returns the time since
// the previous one.
type stopwatch struct{ last time.Time }

func startStopwatch() stopwatch { return stopwatch{time.Now()} }

func (s *stopwatch) lap() time.Duration {
	now := time.Now()
	d := now.Sub(s.last)
	s.last = now
	return d
}
