package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf8"
)

// NullPartition is the folder value of a NULL partition column
// (songs.year is NULL for songs of unknown year): Hive's convention, which
// DuckDB's writer uses and DuckDB, Spark, Athena and pyarrow read back as
// NULL.
const NullPartition = "__HIVE_DEFAULT_PARTITION__"

// partitionDir is the Hive-style folder of one partition:
// year=2018/month=11. Values are rendered as text and escaped as DuckDB
// escapes them (see escapePartition), or get a safe name (partitionName).
func partitionDir(names []string, values []any) string {
	parts := make([]string, len(names))
	for i, n := range names {
		v := NullPartition
		if values[i] != nil {
			s, _ := formatValue(values[i])
			v, _ = partitionName(s)
		}
		parts[i] = n + "=" + v
	}
	return path.Join(parts...)
}

// escapePartition percent-encodes every byte of s except the unreserved
// characters of RFC 3986 (A-Z a-z 0-9 - . _ ~), as DuckDB's PARTITION_BY
// does, so a value with a slash or an equals sign stays one folder; readers
// with Hive partitioning decode it back.
func escapePartition(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// A partition value is used as its folder name, escaped, unless that name
// would be unsafe or ambiguous; then the folder gets a safe name instead
// and the manifest maps it to the full value (docs/export.md, "Long or
// unusual partition values"). The rule:
//
//   - renamed: a value whose escaped form is longer than maxPartitionName
//     bytes (file names are limited to 255), that is not valid UTF-8, that
//     holds a control character (U+0000-U+001F, U+007F-U+009F), that equals
//     NullPartition (it would read back as NULL), or whose escaped form
//     already looks like a safe name (so a folder name never means two
//     values);
//   - safe name: the value's leading run of A-Z a-z 0-9 _ - (at most
//     safePrefixLen bytes), then "~", then the first 32 hex digits of the
//     SHA-256 of the whole value: the same value always gets the same name,
//     and two values share one only if their hashes do (128 bits).
const (
	maxPartitionName = 200
	safePrefixLen    = 64
	safeHashLen      = 32
)

// RenamedPartition maps a partition folder with a safe name back to the
// full value of its column.
type RenamedPartition struct {
	Column string `json:"column"`
	// Folder is the folder's value part: <column>=<Folder>.
	Folder string `json:"folder"`
	// Value is the column's full value in that folder's rows.
	Value string `json:"value"`
}

// partitionName is the folder value of a non-NULL partition value v: v
// escaped, or a safe name (renamed true) when that would be unsafe.
func partitionName(v string) (name string, renamed bool) {
	esc := escapePartition(v)
	if !needsSafeName(v, esc) {
		return esc, false
	}
	return safeName(v), true
}

// needsSafeName applies the rule above to v and its escaped form.
func needsSafeName(v, esc string) bool {
	if len(esc) > maxPartitionName || v == NullPartition || !utf8.ValidString(v) || looksSafeNamed(esc) {
		return true
	}
	for _, r := range v {
		if r < 0x20 || 0x7f <= r && r <= 0x9f {
			return true
		}
	}
	return false
}

// safeName is a value's readable prefix, "~" and a hash of the whole value.
func safeName(v string) string {
	n := 0
	for n < len(v) && n < safePrefixLen && isPrefixByte(v[n]) {
		n++
	}
	sum := sha256.Sum256([]byte(v))
	return v[:n] + "~" + hex.EncodeToString(sum[:])[:safeHashLen]
}

// isPrefixByte is a byte kept in a safe name's prefix.
func isPrefixByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// looksSafeNamed reports whether a folder value ends like a safe name:
// "~" and safeHashLen lowercase hex digits.
func looksSafeNamed(esc string) bool {
	i := len(esc) - safeHashLen - 1
	if i < 0 || esc[i] != '~' {
		return false
	}
	for _, c := range []byte(esc[i+1:]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// renamedPartitions lists the partition values of a table that get safe
// names, sorted by column and folder. Only text columns are read: a
// number or a time never needs a safe name.
func renamedPartitions(ctx context.Context, q querier, t Table, cols []Column) ([]RenamedPartition, error) {
	var out []RenamedPartition
	for _, c := range cols {
		if !c.Partition || c.Type != TypeVarchar {
			continue
		}
		col := c.Name
		rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT %s FROM (%s) q WHERE %s IS NOT NULL", col, t.Query, col))
		if err != nil {
			return nil, fmt.Errorf("read the %s values of %s: %w", col, t.Name, err)
		}
		for rows.Next() {
			var v any
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read the %s values of %s: %w", col, t.Name, err)
			}
			s, _ := formatValue(v)
			if name, renamed := partitionName(s); renamed {
				out = append(out, RenamedPartition{Column: col, Folder: name, Value: s})
			}
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the %s values of %s: %w", col, t.Name, err)
		}
		rows.Close()
	}
	slices.SortFunc(out, func(a, b RenamedPartition) int {
		return strings.Compare(a.Column+"\x00"+a.Folder, b.Column+"\x00"+b.Folder)
	})
	return out, nil
}
