// Package toxiproxy runs a Toxiproxy server for the network-fault tests: a
// TCP proxy on loopback between rxintake and a test server (Dovecot,
// mailpit) whose "toxics" reset, delay, throttle or silence the connection
// on request, driven over Toxiproxy's HTTP API. The binary is
// github.com/Shopify/toxiproxy/v2/cmd/server, installed by `make deps-test`
// as toxiproxy-server. Without it the test is skipped, unless CI=true: then
// it fails.
package toxiproxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"rxintake/internal/testserver"
)

// Server is a running toxiproxy-server.
type Server struct {
	api string // http://127.0.0.1:PORT
}

// Binary returns the path of toxiproxy-server, or "" when it is missing.
func Binary() string {
	if p, err := exec.LookPath("toxiproxy-server"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	if p := filepath.Join(gopath, "bin", "toxiproxy-server"); fileExists(p) {
		return p
	}
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Start starts toxiproxy-server on a loopback port and stops it when the
// test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		const why = "toxiproxy-server is not installed (make deps-test)"
		if os.Getenv("CI") == "true" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	port := testserver.FreePort(t)
	testserver.Start(t, "toxiproxy", exec.Command(bin, "-host", "127.0.0.1", "-port", strconv.Itoa(port)), "Starting HTTP server")
	// It says so just before it listens: wait for the port to take a
	// connection.
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for start := time.Now(); ; {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("toxiproxy does not listen on %s: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return &Server{api: "http://" + addr}
}

// Proxy is one proxied upstream.
type Proxy struct {
	s    *Server
	Name string
	Port int // where the proxy listens, on 127.0.0.1
}

// Proxy makes a proxy from a free loopback port to upstream ("host:port").
func (s *Server) Proxy(t testing.TB, name, upstream string) *Proxy {
	t.Helper()
	p := &Proxy{s: s, Name: name, Port: testserver.FreePort(t)}
	s.call(t, http.MethodPost, "/proxies", map[string]any{
		"name": name, "listen": fmt.Sprintf("127.0.0.1:%d", p.Port), "upstream": upstream, "enabled": true,
	})
	return p
}

// Toxic is one fault: Type is latency, bandwidth, timeout, reset_peer,
// limit_data, slow_close or slicer; Stream is "downstream" (server to
// rxintake) or "upstream"; Attributes as Toxiproxy documents them for the
// type (latency: {"latency": ms}, bandwidth: {"rate": KB/s}, timeout:
// {"timeout": ms, 0 for never}, reset_peer: {"timeout": ms}, limit_data:
// {"bytes": n}).
type Toxic struct {
	Name       string         `json:"name"`
	Type       string         `json:"type"`
	Stream     string         `json:"stream"`
	Toxicity   *float64       `json:"toxicity,omitempty"` // nil: always; 0: never (see ResetOnClose)
	Attributes map[string]any `json:"attributes"`
}

// Add puts a toxic on the proxy; it applies to open connections too.
func (p *Proxy) Add(t testing.TB, x Toxic) {
	t.Helper()
	if x.Stream == "" {
		x.Stream = "downstream"
	}
	p.s.call(t, http.MethodPost, "/proxies/"+p.Name+"/toxics", x)
}

// ResetOnClose makes the connections the proxy opens from now on end with
// an RST (SO_LINGER 0) when another toxic closes them (limit_data,
// timeout): Toxiproxy sets it on a connection whose chain holds a
// reset_peer toxic, and this one, of toxicity 0, never acts otherwise.
func (p *Proxy) ResetOnClose(t testing.TB) {
	t.Helper()
	never := 0.0
	for _, stream := range []string{"downstream", "upstream"} {
		p.Add(t, Toxic{Name: "rst-" + stream, Type: "reset_peer", Stream: stream, Toxicity: &never,
			Attributes: map[string]any{"timeout": 0}})
	}
}

// Remove takes a toxic off the proxy.
func (p *Proxy) Remove(t testing.TB, name string) {
	t.Helper()
	p.s.call(t, http.MethodDelete, "/proxies/"+p.Name+"/toxics/"+name, nil)
}

func (s *Server) call(t testing.TB, method, path string, body any) {
	t.Helper()
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, s.api+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("toxiproxy %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var msg bytes.Buffer
		msg.ReadFrom(resp.Body)
		t.Fatalf("toxiproxy %s %s: %s %s", method, path, resp.Status, msg.String())
	}
}
