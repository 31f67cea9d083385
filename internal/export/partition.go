package export

import (
	"path"
	"strings"
)

// NullPartition is the folder value of a NULL partition column
// (songs.year is NULL for songs of unknown year): Hive's convention, which
// DuckDB's writer uses and DuckDB, Spark, Athena and pyarrow read back as
// NULL.
const NullPartition = "__HIVE_DEFAULT_PARTITION__"

// partitionDir is the Hive-style folder of one partition:
// year=2018/month=11. Values are rendered as text and escaped as DuckDB
// escapes them (see escapePartition).
func partitionDir(names []string, values []any) string {
	parts := make([]string, len(names))
	for i, n := range names {
		v := NullPartition
		if values[i] != nil {
			s, _ := formatValue(values[i])
			v = escapePartition(s)
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
