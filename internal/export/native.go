package export

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// copyNative has DuckDB write a table with its own writer:
//
//	COPY (query) TO 'dir' (FORMAT parquet, PARTITION_BY (year, month))
//
// DuckDB names NULL partitions __HIVE_DEFAULT_PARTITION__ and escapes
// values itself, and leaves the partition columns out of the files; the
// streamed writer does the same. An unpartitioned table is one file,
// dir/data_0.<ext>.
func copyNative(ctx context.Context, q querier, t Table, _ []Column, dir string, format Format) (int64, error) {
	opts := []string{"FORMAT " + string(format)}
	if format == CSV {
		opts = append(opts, "HEADER true")
	}
	target := filepath.Join(dir, "data_0"+format.ext())
	if len(t.PartitionBy) > 0 {
		target = dir
		opts = append(opts, "PARTITION_BY ("+strings.Join(t.PartitionBy, ", ")+")", "OVERWRITE_OR_IGNORE true")
	}
	stmt := fmt.Sprintf("COPY (%s) TO %s (%s)", t.Query, quoteLiteral(target), strings.Join(opts, ", "))
	res, err := q.ExecContext(ctx, stmt)
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("write %s with DuckDB's COPY: %w", t.Name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("count the rows DuckDB wrote for %s: %w", t.Name, err)
	}
	return n, nil
}

// quoteLiteral renders s as an SQL string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
