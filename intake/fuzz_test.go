package intake

import (
	"testing"

	"rxintake/config"
)

// FuzzSenderFax: the fax number read from a notification's subject or
// body, with the default patterns, is ten digits or nothing.
func FuzzSenderFax(f *testing.F) {
	patterns, err := compilePatterns(config.DefaultSenderPatterns)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"New fax received from 9415550143", "eFax message from \"GULF COAST FM\" - 1 page(s), Caller-ID: 941-555-0143",
		"From: (941) 555-0143", "caller ID: +1 941.555.0143", "Fax from 1-800-FLOWERS", "from 94155501439415550143"} {
		f.Add(s, "")
		f.Add("", s)
	}
	f.Fuzz(func(t *testing.T, subject, body string) {
		n := senderFax(patterns, subject, body)
		if n == "" {
			return
		}
		if len(n) != 10 {
			t.Fatalf("fax number %q is not ten digits", n)
		}
		for _, c := range n {
			if c < '0' || c > '9' {
				t.Fatalf("fax number %q is not ten digits", n)
			}
		}
	})
}
