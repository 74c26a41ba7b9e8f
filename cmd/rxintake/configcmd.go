package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"rxintake/config"
)

// runConfig prints the configuration as rxintake reads it: the file with
// every default filled in, then each secret, named by where it comes from
// and whether it is there, never its value.
func runConfig(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "configuration `file`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rxintake config --config FILE\n\nprints the configuration with its defaults; secrets are named, never shown")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitBadConfig
	}
	cfg, code := loadConfig(fs, *cfgPath, stderr)
	if cfg == nil {
		return code
	}
	out, err := dumpConfig(cfg, *cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		return exitErrors
	}
	fmt.Fprint(stdout, out)
	return exitOK
}

// dumpConfig is the configuration as YAML, secrets masked, followed by a
// comment per secret saying where it is read from and whether it is set.
func dumpConfig(cfg *config.Config, path string) (string, error) {
	n, err := configNode(reflect.ValueOf(*cfg))
	if err != nil {
		return "", err
	}
	maskNode(n, "")
	b, err := yaml.Marshal(n)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	sb.WriteString("# rxintake configuration as read from " + path + ", defaults filled in\n")
	sb.Write(b)
	sb.WriteString("# secrets (named, never shown):\n")
	for _, s := range []struct{ key, env, file string }{
		{"mailbox.password", cfg.Mailbox.PasswordEnv, cfg.Mailbox.PasswordFile},
		{"smtp.password", cfg.SMTP.PasswordEnv, cfg.SMTP.PasswordFile},
		{"llm.api_key", cfg.LLM.APIKeyEnv, cfg.LLM.APIKeyFile},
	} {
		from := "none configured"
		switch {
		case s.env != "":
			from = "$" + s.env
		case s.file != "":
			from = s.file
		}
		state := ""
		if s.env != "" || s.file != "" {
			state = ": set"
			if _, err := config.Secret(s.key, s.env, s.file); err != nil {
				state = ": NOT SET"
			}
		}
		fmt.Fprintf(&sb, "#   %s: %s%s\n", s.key, from, state)
	}
	return sb.String(), nil
}

var durationType = reflect.TypeOf(time.Duration(0))

// configNode encodes a configuration value as YAML under its yaml keys,
// durations as "30m0s" rather than nanoseconds.
func configNode(v reflect.Value) (*yaml.Node, error) {
	switch {
	case v.Type() == durationType:
		return &yaml.Node{Kind: yaml.ScalarNode, Value: time.Duration(v.Int()).String()}, nil
	case v.Kind() == reflect.Struct:
		m := &yaml.Node{Kind: yaml.MappingNode}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "-" || name == "" {
				continue
			}
			val, err := configNode(v.Field(i))
			if err != nil {
				return nil, err
			}
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: name}, val)
		}
		return m, nil
	case v.Kind() == reflect.Map && v.Type().Elem().Kind() == reflect.Struct:
		m := &yaml.Node{Kind: yaml.MappingNode}
		iter := v.MapRange()
		var keys []string
		vals := map[string]reflect.Value{}
		for iter.Next() {
			k := fmt.Sprint(iter.Key().Interface())
			keys = append(keys, k)
			vals[k] = iter.Value()
		}
		sort.Strings(keys)
		for _, k := range keys {
			val, err := configNode(vals[k])
			if err != nil {
				return nil, err
			}
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, val)
		}
		return m, nil
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
		s := &yaml.Node{Kind: yaml.SequenceNode}
		for i := range v.Len() {
			val, err := configNode(v.Index(i))
			if err != nil {
				return nil, err
			}
			s.Content = append(s.Content, val)
		}
		return s, nil
	}
	n := &yaml.Node{}
	if err := n.Encode(v.Interface()); err != nil {
		return nil, err
	}
	return n, nil
}

// secretKey matches keys that would hold a secret's value; the *_env and
// *_file keys that name one are not secrets.
var secretKey = regexp.MustCompile(`(?i)(password|passwd|secret|token|api_?key|private)`)

// maskNode replaces the value of every key that looks like a secret, and
// the password of every URL, in place: the configuration holds no secret
// today, and a key added tomorrow is masked without anyone remembering to.
func maskNode(n *yaml.Node, key string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			maskNode(n.Content[i+1], n.Content[i].Value)
		}
	case yaml.SequenceNode, yaml.DocumentNode:
		for _, c := range n.Content {
			maskNode(c, key)
		}
	case yaml.ScalarNode:
		if n.Value == "" {
			return
		}
		if secretKey.MatchString(key) && !strings.HasSuffix(key, "_env") && !strings.HasSuffix(key, "_file") {
			n.Value, n.Tag, n.Style = "[masked]", "!!str", 0
			return
		}
		if u, err := url.Parse(n.Value); err == nil && u.User != nil {
			u.User = url.User("masked")
			n.Value = u.String()
		}
	}
}
