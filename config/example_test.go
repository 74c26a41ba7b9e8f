package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The example configuration of deploy/ loads, and mentions every key.
func TestDeployExample(t *testing.T) {
	const path = "../deploy/config.example.yaml"
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Mailbox.Host == "" || c.SMTP.Host == "" || len(c.Offices) == 0 || c.Payers["default"].RxValidDays != 90 {
		t.Errorf("example loads as %+v", c)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s*(?:- )?([a-z0-9_]+):`).FindAllStringSubmatch(string(raw), -1) {
		keys[m[1]] = true
	}
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct {
			return
		}
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			if !keys[name] {
				t.Errorf("deploy/config.example.yaml does not mention %s%s", prefix, name)
			}
			if f.Type.String() != "time.Duration" {
				walk(prefix+name+".", f.Type)
			}
		}
	}
	walk("", reflect.TypeFor[Config]())
}
