package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Update sets one value in dwh.cfg.
type Update struct {
	// Section is the section name, matched without regard to case.
	Section string
	// Keys are the names the value may already have, in the order config
	// reads them; the first key present in the section is rewritten, and
	// Keys[0] is added when none is.
	Keys []string
	// Value is the new value; it may not contain a line break.
	Value string
	// Clear empties every one of Keys present in the section (Value must
	// be "") and adds no key or section that is not there.
	Clear bool
}

// HostUpdate writes the cluster endpoint to [CLUSTER] HOST (or whichever of
// its spellings the file already uses).
func HostUpdate(host string) Update {
	return Update{Section: "CLUSTER", Keys: []string{"HOST", "DWH_HOST", "ENDPOINT", "DWH_ENDPOINT"}, Value: host}
}

// RoleARNUpdate writes the role ARN to [IAM_ROLE] ARN, or ROLE_ARN when the
// file uses that.
func RoleARNUpdate(arn string) Update {
	return Update{Section: "IAM_ROLE", Keys: []string{"ARN", "DWH_ARN", "ROLE_ARN", "DWH_ROLE_ARN"}, Value: arn}
}

// ClearHost empties [CLUSTER] HOST (every spelling present), as
// 'sparkify cluster down' does once the cluster is gone.
func ClearHost() Update { u := HostUpdate(""); u.Clear = true; return u }

// ClearRoleARN empties [IAM_ROLE] ARN (every spelling present).
func ClearRoleARN() Update { u := RoleARNUpdate(""); u.Clear = true; return u }

// UpdateFile applies updates to the dwh.cfg at path, keeping every other
// line byte for byte, and writes it atomically (temporary file + rename)
// with the file's mode. A missing file is created with mode 0600. It
// reports whether the file changed; nothing is written when it did not.
func UpdateFile(path string, updates ...Update) (bool, error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	mode := fs.FileMode(0o600)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return false, fmt.Errorf("update %s: %w", path, err)
	default:
		if st, err := os.Stat(path); err == nil {
			mode = st.Mode().Perm()
		}
	}
	out, err := UpdateBytes(data, updates...)
	if err != nil {
		return false, fmt.Errorf("update %s: %w", path, err)
	}
	if bytes.Equal(out, data) && data != nil {
		return false, nil
	}
	if err := writeAtomic(path, out, mode); err != nil {
		return false, fmt.Errorf("update %s: %w", path, err)
	}
	return true, nil
}

func writeAtomic(path string, data []byte, mode fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(name)
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}

// UpdateBytes applies updates to the text of a dwh.cfg. Lines it does not
// change come back byte for byte; a missing key is added after the last
// key of its section, a missing section at the end of the file.
func UpdateBytes(data []byte, updates ...Update) ([]byte, error) {
	lines := splitLines(data)
	for _, u := range updates {
		if strings.ContainsAny(u.Value, "\r\n") {
			return nil, fmt.Errorf("[%s] %s: value contains a line break", u.Section, u.Keys[0])
		}
		lines = applyUpdate(lines, u)
	}
	return bytes.Join(lines, nil), nil
}

// splitLines splits after each '\n', keeping the line endings.
func splitLines(data []byte) [][]byte {
	var lines [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			lines = append(lines, data)
			break
		}
		lines = append(lines, data[:i+1])
		data = data[i+1:]
	}
	return lines
}

// iniLine is what one line of the file is.
type iniLine struct {
	section string // for a header: the section name
	key     string // for a key line: the key
	sepEnd  int    // for a key line: index after the separator and its spaces
}

func parseLine(l []byte) iniLine {
	s := strings.TrimRight(string(l), "\r\n")
	t := strings.TrimSpace(s)
	switch {
	case t == "" || t[0] == '#' || t[0] == ';':
		return iniLine{}
	case t[0] == '[':
		// As gopkg.in/ini reads it: up to the last bracket, spaces kept.
		if end := strings.LastIndexByte(t, ']'); end > 0 {
			return iniLine{section: t[1:end]}
		}
		return iniLine{}
	}
	i := strings.IndexAny(s, "=:")
	if i < 0 {
		return iniLine{key: t, sepEnd: len(s)}
	}
	j := i + 1
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	return iniLine{key: strings.TrimSpace(s[:i]), sepEnd: j}
}

func applyUpdate(lines [][]byte, u Update) [][]byte {
	start, end := -1, len(lines) // header index, index of the next header
	for i, l := range lines {
		p := parseLine(l)
		if p.section == "" {
			continue
		}
		if start >= 0 {
			end = i
			break
		}
		if strings.EqualFold(p.section, u.Section) {
			start = i
		}
	}
	if start < 0 && u.Clear {
		return lines
	}
	if start < 0 {
		return appendSection(lines, u)
	}
	if u.Clear {
		for i := start + 1; i < end; i++ {
			p := parseLine(lines[i])
			for _, k := range u.Keys {
				if p.key != "" && strings.EqualFold(p.key, k) {
					lines[i] = replaceValue(lines[i], p, "")
				}
			}
		}
		return lines
	}
	for _, k := range u.Keys {
		found := false
		for i := start + 1; i < end; i++ {
			p := parseLine(lines[i])
			if p.key != "" && strings.EqualFold(p.key, k) {
				lines[i] = replaceValue(lines[i], p, u.Value)
				found = true
			}
		}
		if found {
			return lines
		}
	}
	last := start // the last key line of the section
	for i := start + 1; i < end; i++ {
		if parseLine(lines[i]).key != "" {
			last = i
		}
	}
	nl := lineEnding(lines)
	if !bytes.HasSuffix(lines[last], []byte("\n")) {
		lines[last] = append(append([]byte{}, lines[last]...), nl...)
	}
	added := []byte(newKeyLine(lines, start, end, u.Keys[0], u.Value) + nl)
	out := make([][]byte, 0, len(lines)+1)
	out = append(out, lines[:last+1]...)
	out = append(out, added)
	return append(out, lines[last+1:]...)
}

func appendSection(lines [][]byte, u Update) [][]byte {
	nl := lineEnding(lines)
	if n := len(lines); n > 0 {
		if !bytes.HasSuffix(lines[n-1], []byte("\n")) {
			lines[n-1] = append(append([]byte{}, lines[n-1]...), nl...)
		}
		if len(bytes.TrimSpace(lines[n-1])) > 0 {
			lines = append(lines, []byte(nl))
		}
	}
	key := newKeyLine(lines, 0, len(lines), u.Keys[0], u.Value)
	return append(lines, []byte("["+u.Section+"]"+nl), []byte(key+nl))
}

// replaceValue keeps the key, separator and spacing of a line, and the
// quotes around its old value, and puts in the new value.
func replaceValue(l []byte, p iniLine, value string) []byte {
	s := string(l)
	body := strings.TrimRight(s, "\r\n")
	ending := s[len(body):]
	old := strings.TrimSpace(body[p.sepEnd:])
	if q := quoteOf(old); q != "" {
		value = q + value + q
	}
	if p.sepEnd == len(body) && !strings.ContainsAny(body, "=:") {
		return []byte(body + "=" + value + ending)
	}
	return []byte(body[:p.sepEnd] + value + ending)
}

func quoteOf(v string) string {
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		return v[:1]
	}
	return ""
}

// newKeyLine formats KEY=VALUE in the style of the section's first key line
// (else the file's): the same separator spacing and quotes.
func newKeyLine(lines [][]byte, start, end int, key, value string) string {
	sep, quote := "=", ""
	pick := func(from, to int) bool {
		for i := from; i < to && i < len(lines); i++ {
			p := parseLine(lines[i])
			if p.key == "" {
				continue
			}
			body := strings.TrimRight(string(lines[i]), "\r\n")
			if p.sepEnd == len(body) && !strings.ContainsAny(body, "=:") {
				continue
			}
			// The key as parseLine found it (after any kind of indent).
			rest := body[strings.Index(body, p.key)+len(p.key):]
			sep = rest[:len(rest)-len(body[p.sepEnd:])]
			quote = quoteOf(strings.TrimSpace(body[p.sepEnd:]))
			return true
		}
		return false
	}
	if !pick(start, end) {
		pick(0, len(lines))
	}
	return key + sep + quote + value + quote
}

func lineEnding(lines [][]byte) string {
	if len(lines) > 0 && bytes.HasSuffix(lines[0], []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}
