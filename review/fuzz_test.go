package review

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzLocalPath: whatever a link's next= holds, the page sends the browser
// after sign-in only to a path of this site, read as a browser reads it
// (tabs and line ends dropped, a backslash taken for a slash).
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/cases/RX-7K3QH2", "/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/",
		"/cases?status=needs-review#x", "javascript:alert(1)", "/signin", "/./signin", "\x00/", "/%2f%2fevil.example", "/%5cevil.example"} {
		f.Add(s)
	}
	site, _ := url.Parse("https://review.example/")
	f.Fuzz(func(t *testing.T, next string) {
		got := localPath(next)
		if got == "/cases" {
			return
		}
		if got != next {
			t.Fatalf("localPath(%q) = %q: neither the input nor the case list", next, got)
		}
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(next)
		u, err := url.Parse(browser)
		if err != nil {
			t.Fatalf("localPath(%q) kept a URL a browser reads as %q, which does not parse: %v", next, browser, err)
		}
		if dest := site.ResolveReference(u); dest.Scheme != site.Scheme || dest.Host != site.Host {
			t.Errorf("localPath(%q) kept a URL that leads to %s", next, dest)
		}
	})
}
