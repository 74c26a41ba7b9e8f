// Command rxhostile writes the hostile-input corpus (internal/hostile) into
// a directory, testdata/hostile by default: one .eml file per input, as it
// would arrive in the mailbox, and index.txt saying what each is and the
// finding it must get. The intake tests generate the same corpus in memory;
// this is for looking at it, or feeding it to `rxintake extract`.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"rxintake/internal/hostile"
)

func main() {
	out := flag.String("out", "testdata/hostile", "write the corpus into `DIR`")
	fixtures := flag.String("fixtures", "testdata", "the fixture `DIR` whose fax PDF and TIFF are damaged")
	flag.Parse()
	fx, err := hostile.ReadFixtures(*fixtures)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rxhostile:", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "rxhostile:", err)
		os.Exit(1)
	}
	var index strings.Builder
	for _, in := range hostile.Corpus(fx) {
		if err := os.WriteFile(filepath.Join(*out, in.Name), in.Message, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "rxhostile:", err)
			os.Exit(1)
		}
		fmt.Fprintf(&index, "%-22s %-9s %s (want: %s)\n", in.Name, size(len(in.Message)), in.What, strings.Join(in.Want, " or "))
	}
	if err := os.WriteFile(filepath.Join(*out, "index.txt"), []byte(index.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "rxhostile:", err)
		os.Exit(1)
	}
	fmt.Print(index.String())
}

func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
