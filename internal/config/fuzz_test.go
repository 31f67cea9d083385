package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fuzzSecret is a password handed to Load through the environment; it
// must never come out of a formatted Config.
const fuzzSecret = "fuzz-S3cret-in-env"

// cfgSeeds are the classic files the config tests use.
func cfgSeeds(f *testing.F) {
	data, err := os.ReadFile("testdata/dwh.cfg")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(classic))
	f.Add([]byte("[CLUSTER]\r\nDB_NAME = dwh\r\n\r\n# comment kept\r\n[S3]\r\nSONG_DATA = x"))
	f.Add([]byte("[DWH]\nDWH_HOST=h\nDWH_PORT=5439\n[AWS]\nKEY=k\nSECRET=s\n[SPARKIFY]\nWAREHOUSE=duckdb:x\nMATCH_RATE_WARN=0.5\n"))
}

// FuzzLoad: any dwh.cfg (and aws_credentials) gives a Config or an error,
// never a panic, and a Config never prints the password it holds.
func FuzzLoad(f *testing.F) {
	cfgSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Contains(data, []byte(fuzzSecret)) {
			return
		}
		dir := t.TempDir()
		cfgPath, credPath := filepath.Join(dir, "dwh.cfg"), filepath.Join(dir, "creds")
		for _, p := range []string{cfgPath, credPath} {
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		c, err := Load(Flags{ConfigFile: cfgPath, CredentialsFile: credPath}, env(map[string]string{"SPARKIFY_DB_PASSWORD": fuzzSecret}))
		if err != nil {
			if err.Error() == "" || strings.Contains(err.Error(), fuzzSecret) {
				t.Fatalf("bad error %q", err)
			}
			return
		}
		if c.Password().Reveal() != fuzzSecret {
			t.Fatalf("password %q, want the one from the environment", c.Password().Reveal())
		}
		js, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		for _, s := range []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", *c), fmt.Sprintf("%#v", *c), string(js)} {
			if strings.Contains(s, fuzzSecret) {
				t.Fatalf("password printed: %s", s)
			}
		}
	})
}

// plainValue is a value that needs no quoting in any INI dialect.
var plainValue = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]*$`)

// FuzzUpdateBytes: updating [CLUSTER] HOST never panics, refuses line
// breaks, is idempotent, and, for a file that parses, what Load then reads
// as the host is the value written.
func FuzzUpdateBytes(f *testing.F) {
	cfgSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, host := range []string{"new-host.example.com", "h\nx"} {
			out, err := UpdateBytes(data, HostUpdate(host))
			if strings.ContainsAny(host, "\r\n") {
				if err == nil {
					t.Fatal("a value with a line break was written")
				}
				continue
			}
			if err != nil {
				t.Fatalf("update: %v", err)
			}
			if !cleanINI(data) {
				continue
			}
			again, err := UpdateBytes(out, HostUpdate(host))
			if err != nil || !bytes.Equal(again, out) {
				t.Fatalf("second update changed the file:\n%q\n%q", out, again)
			}
			if !plainValue.MatchString(host) {
				continue
			}
			if _, err := parseINI(data); err != nil {
				continue
			}
			f, err := parseINI(out)
			if err != nil {
				t.Fatalf("the updated file does not parse: %v\n%q", err, out)
			}
			if got := lookup(f, []string{"cluster", "dwh"}, "host", "endpoint"); got != host {
				t.Fatalf("host reads %q after writing %q:\n%q", got, host, out)
			}
		}
	})
}

// cleanINI reports whether data avoids what UpdateBytes' line-by-line view
// of a file cannot see the way gopkg.in/ini does: multi-line values, and a [CLUSTER] or [DWH] section given twice. (A backslash at a
// line's end continues nothing: parseINI reads it as configparser does.)
func cleanINI(data []byte) bool {
	if bytes.Contains(data, []byte(`"""`)) || bytes.ContainsAny(data, "`\x00") {
		return false
	}
	seen := map[string]int{}
	for _, l := range splitLines(data) {
		if p := parseLine(l); p.section != "" {
			seen[strings.ToLower(p.section)]++
		}
	}
	return seen["cluster"] <= 1 && seen["dwh"] <= 1
}

// TestUpdateBytesOddIndent is a bug FuzzUpdateBytes found (fixed): newKeyLine
// copies the separator style of the first key line by cutting the key off
// strings.TrimLeft(body, " \t"), but parseLine found the key with
// strings.TrimSpace, which also strips \v, \f and Unicode spaces such as
// U+00A0. With such an indent the cut is off by the indent's length and
// part of the old key becomes the separator: "\v0=" as the first key line
// makes HostUpdate write "HOST0=new-host", a key config never reads, and
// every later update appends another line.
func TestUpdateBytesOddIndent(t *testing.T) {
	for _, in := range []string{"\v0=\n", "[CLUSTER]\n\u00a0DB_NAME = dwh\n"} {
		out, err := UpdateBytes([]byte(in), HostUpdate("h.example"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := parseINI(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := lookup(f, []string{"cluster"}, "host"); got != "h.example" {
			t.Errorf("%q -> %q: host reads %q", in, out, got)
		}
	}
}

// TestUpdateBytesSectionHeaders is a second bug FuzzUpdateBytes found (fixed):
// parseLine reads a section header differently from gopkg.in/ini (and
// Python's configparser): it trims "[CLUSTER ]" to CLUSTER and cuts
// "[CLUSTER]]" at the first bracket, where ini keeps "CLUSTER " and
// "CLUSTER]". UpdateBytes then writes HOST into a section Load does not
// read as [CLUSTER], and the host is lost.
func TestUpdateBytesSectionHeaders(t *testing.T) {
	for _, in := range []string{"[CLUSTER ]\n", "[CLUSTER]]\n"} {
		out, err := UpdateBytes([]byte(in), HostUpdate("h.example"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := parseINI(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := lookup(f, []string{"cluster"}, "host"); got != "h.example" {
			t.Errorf("host reads %q from %q", got, out)
		}
	}
}
