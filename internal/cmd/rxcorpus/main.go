// Command rxcorpus writes rxintake's test documents: the named fixture set
// (-fixtures DIR) and the evaluation corpus (-eval DIR -n N -seed S). Every
// file comes with FILE.truth.json; the same seed writes the same bytes.
// Each evaluation document is worded in one of the wording families
// (-family limits them).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"

	"rxintake/internal/corpus"
)

func main() {
	fixtures := flag.String("fixtures", "", "write the named fixtures into `DIR`")
	eval := flag.String("eval", "", "write an evaluation corpus into `DIR`")
	n := flag.Int("n", 240, "documents in the evaluation corpus")
	seed := flag.Uint64("seed", 1, "seed of the evaluation corpus")
	workers := flag.Int("j", 1, "documents generated at once")
	var families []string
	flag.Func("family", "generate only wording family `NAME` (repeatable or a comma list; held out: "+
		strings.Join(corpus.HeldOutFamilies(), ", ")+"; all: "+strings.Join(corpus.FamilyNames(), ", ")+")", func(v string) error {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				families = append(families, f)
			}
		}
		return nil
	})
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: rxcorpus -fixtures DIR | -eval DIR [-n N] [-seed S] [-j WORKERS] [-family NAME[,NAME...]]\n")
		fmt.Fprintf(os.Stderr, "The evaluation corpus draws each document's wording family uniformly among the families given (default: all).\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if (*fixtures == "") == (*eval == "") || flag.NArg() > 0 || *n <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var err error
	if *fixtures != "" {
		err = corpus.WriteFixtures(ctx, *fixtures, log)
	} else {
		err = corpus.WriteEval(ctx, *eval, *n, *seed, corpus.EvalOptions{
			Workers:  *workers,
			Families: families,
			Progress: func(done, total int, file string) {
				fmt.Fprintf(os.Stderr, "[%d/%d] %s\n", done, total, file)
			},
		})
	}
	if err != nil {
		log.Error("rxcorpus failed", "err", err)
		os.Exit(1)
	}
}
