package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"rxintake/config"
	"rxintake/review"
)

// newPasswordEnv, when set, holds the password for `user add` (scripts,
// the demo); otherwise it is read from the terminal twice, or from standard
// input (one line, or two that must match).
const newPasswordEnv = "RXINTAKE_NEW_PASSWORD"

// stdin is replaced in tests.
var stdin io.Reader = os.Stdin

// rxintake user add|list: the people who may sign in to the review page.
func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprintln(stderr, "usage: rxintake user add --config FILE NAME   (password from the terminal, stdin or $"+newPasswordEnv+")")
		fmt.Fprintln(stderr, "       rxintake user list --config FILE")
	}
	if len(args) == 0 {
		usage()
		return exitBadConfig
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, args[1:], stdout, stderr)
	case "list":
		return runUserList(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		usage()
		return exitOK
	}
	fmt.Fprintf(stderr, "rxintake user: unknown command %q\n", args[0])
	usage()
	return exitBadConfig
}

// parseInterspersed parses flags before and after the positional
// arguments: `user add alice --config f` and `user add --config f alice`.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func runUserAdd(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "configuration `file`")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitBadConfig
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "rxintake: user add needs exactly one NAME")
		return exitBadConfig
	}
	name := pos[0]
	if !review.ValidUserName(name) {
		fmt.Fprintln(stderr, "rxintake:", review.ErrBadUserName)
		return exitBadConfig
	}
	cfg, users, code := openUsers(fs, *cfgPath, stderr)
	if users == nil {
		return code
	}
	password, err := newPassword(stderr)
	if err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		return exitErrors
	}
	added, err := users.Set(name, password)
	if err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		if errors.Is(err, review.ErrBadPassword) {
			return exitBadConfig
		}
		return exitErrors
	}
	if added {
		fmt.Fprintf(stdout, "user %s added to %s\n", name, cfg.Review.UsersFile)
	} else {
		fmt.Fprintf(stdout, "password of user %s changed in %s\n", name, cfg.Review.UsersFile)
	}
	return exitOK
}

// newPassword reads the new password: from the environment, from the
// terminal twice without echo, or from standard input.
func newPassword(stderr io.Writer) (string, error) {
	if pw, ok := os.LookupEnv(newPasswordEnv); ok {
		return pw, nil
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(stderr, "New password (at least %d characters): ", review.MinPasswordLen)
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		return string(a), nil
	}
	sc := bufio.NewScanner(io.LimitReader(stdin, 4096))
	var lines []string
	for sc.Scan() && len(lines) < 2 {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	switch {
	case len(lines) == 0:
		return "", errors.New("no password on standard input")
	case len(lines) == 2 && lines[0] != lines[1]:
		return "", errors.New("the two passwords on standard input differ")
	}
	return lines[0], nil
}

func runUserList(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("user list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "configuration `file`")
	if err := fs.Parse(args); err != nil {
		return exitBadConfig
	}
	cfg, users, code := openUsers(fs, *cfgPath, stderr)
	if users == nil {
		return code
	}
	list, err := users.List()
	if err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		return exitErrors
	}
	if len(list) == 0 {
		fmt.Fprintf(stderr, "no users in %s: add one with rxintake user add --config FILE NAME\n", cfg.Review.UsersFile)
	}
	for _, u := range list {
		added := ""
		if !u.Added.IsZero() {
			added = u.Added.UTC().Format("2006-01-02 15:04 UTC")
		}
		fmt.Fprintf(stdout, "%s\t%s\n", u.Name, added)
	}
	return exitOK
}

// openUsers loads the configuration and the users file it names. On
// failure it says why on stderr and returns the exit code.
func openUsers(fs *flag.FlagSet, cfgPath string, stderr io.Writer) (*config.Config, *review.Users, int) {
	cfg, code := loadConfig(fs, cfgPath, stderr)
	if cfg == nil {
		return nil, nil, code
	}
	users, err := review.OpenUsers(cfg.Review.UsersFile)
	if err != nil {
		fmt.Fprintln(stderr, "rxintake:", err)
		return nil, nil, exitErrors
	}
	return cfg, users, exitOK
}
