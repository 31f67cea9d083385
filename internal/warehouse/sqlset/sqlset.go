// Package sqlset reads SQL files made of named blocks, in the style of sqlc
// and goose:
//
//	-- name: songs_insert
//	INSERT INTO songs ...;
//
// A block may hold several statements separated by semicolons. Sets merge:
// an engine's own files override the portable defaults block by block, so
// every dialect difference is SQL text, not Go branches.
package sqlset

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Set is a collection of named SQL blocks.
type Set struct {
	blocks map[string]string
	origin map[string]string
}

// Parse reads every *.sql file of fsys (recursively) into a Set.
func Parse(fsys fs.FS) (*Set, error) {
	s := &Set{blocks: map[string]string{}, origin: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".sql" {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return s.add(p, string(data))
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// MustParse is Parse for embedded files, which cannot fail at run time.
func MustParse(fsys fs.FS) *Set {
	s, err := Parse(fsys)
	if err != nil {
		panic(err)
	}
	return s
}

func (s *Set) add(file, text string) error {
	name := ""
	var body strings.Builder
	flush := func() error {
		if name == "" {
			if strings.TrimSpace(stripComments(body.String())) != "" {
				return fmt.Errorf("%s: SQL before the first '-- name:' line", file)
			}
			return nil
		}
		if prev, ok := s.origin[name]; ok {
			return fmt.Errorf("%s: block %q already defined in %s", file, name, prev)
		}
		s.blocks[name] = strings.TrimSpace(body.String())
		s.origin[name] = file
		return nil
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(trimmed, "-- name:"); ok {
			if err := flush(); err != nil {
				return err
			}
			name = strings.TrimSpace(rest)
			body.Reset()
			continue
		}
		body.WriteString(line)
	}
	return flush()
}

// Override returns a new Set with the blocks of o replacing or adding to s.
func (s *Set) Override(o *Set) *Set {
	n := &Set{blocks: map[string]string{}, origin: map[string]string{}}
	for _, src := range []*Set{s, o} {
		for k, v := range src.blocks {
			n.blocks[k] = v
			n.origin[k] = src.origin[k]
		}
	}
	return n
}

// Has reports whether a block exists.
func (s *Set) Has(name string) bool { _, ok := s.blocks[name]; return ok }

// Text returns a block's SQL, or an error naming the missing block.
func (s *Set) Text(name string) (string, error) {
	b, ok := s.blocks[name]
	if !ok {
		return "", fmt.Errorf("sql block %q is not defined for this engine", name)
	}
	return b, nil
}

// Statements returns a block split into its statements.
func (s *Set) Statements(name string) ([]string, error) {
	b, err := s.Text(name)
	if err != nil {
		return nil, err
	}
	return Split(b), nil
}

// Names lists the blocks in sorted order.
func (s *Set) Names() []string {
	names := make([]string, 0, len(s.blocks))
	for k := range s.blocks {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Origin names the file a block came from.
func (s *Set) Origin(name string) string { return s.origin[name] }
