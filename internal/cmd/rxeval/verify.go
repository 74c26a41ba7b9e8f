package main

import (
	"fmt"
	"io"

	"rxintake/casefile"
	"rxintake/internal/corpus"
)

// verifyCounts compares, at the worker's thresholds, the rules alone with
// the rules and the second reader in verify mode.
type verifyCounts struct {
	docs, complete, incomplete      int
	asked, toReview                 int
	falseCorrBefore, falseCorrAfter int // complete documents sent for correction
	falseAccBefore, falseAccAfter   int // incomplete documents accepted
	rightToReview                   int // incomplete documents sent to review instead of correction
}

func countVerify(docs []*scored) verifyCounts {
	var c verifyCounts
	for _, d := range docs {
		c.docs++
		before, after := d.got.before, d.got.rec.Status
		switch d.truth.Status {
		case corpus.StatusComplete:
			c.complete++
			if before == casefile.StatusNeedsCorrection {
				c.falseCorrBefore++
			}
			if after == casefile.StatusNeedsCorrection {
				c.falseCorrAfter++
			}
		case corpus.StatusNeedsCorrection:
			c.incomplete++
			if before == casefile.StatusComplete {
				c.falseAccBefore++
			}
			if after == casefile.StatusComplete {
				c.falseAccAfter++
			}
			if before == casefile.StatusNeedsCorrection && after == casefile.StatusNeedsReview {
				c.rightToReview++
			}
		}
		if d.got.asked {
			c.asked++
			if after == casefile.StatusNeedsReview {
				c.toReview++
			}
		}
	}
	return c
}

func verifyReport(w io.Writer, docs []*scored) {
	c := countVerify(docs)
	fmt.Fprintf(w, "\n##### second reader, verify mode, against the scripted model (%d documents)\n", c.docs)
	fmt.Fprintf(w, "asked before a correction request: %d; sent to review instead: %d\n", c.asked, c.toReview)
	fmt.Fprintf(w, "false correction reqs:   %d without, %d with (of %d complete)\n", c.falseCorrBefore, c.falseCorrAfter, c.complete)
	fmt.Fprintf(w, "false accepts:           %d without, %d with (of %d incomplete)\n", c.falseAccBefore, c.falseAccAfter, c.incomplete)
	fmt.Fprintf(w, "incomplete sent to review instead of correction: %d\n", c.rightToReview)
}
