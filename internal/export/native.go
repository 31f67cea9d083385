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
//
// A table with more than maxNativePartitions partitions (songs by artist on
// a real catalog) is streamed instead: DuckDB's partitioned COPY keeps a
// buffer per partition and thread, and fails under the warehouse's memory
// limit (256 MB by default) at a few thousand partitions, or, with a low
// flush threshold, writes several files per partition and slowly.
func copyNative(ctx context.Context, q querier, t Table, cols []Column, dir string, format Format) (int64, error) {
	if len(t.PartitionBy) > 0 {
		n, err := countPartitions(ctx, q, t)
		if err != nil {
			return 0, err
		}
		if n > maxNativePartitions {
			return streamRows(ctx, q, t, cols, dir, format)
		}
	}
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
	return n, matchModes(dir)
}

// quoteLiteral renders s as an SQL string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// maxNativePartitions is the most partitions DuckDB's COPY writes for one
// table (DuckDB's own default limit of open partition files).
const maxNativePartitions = 100

// countPartitions counts a table's distinct partition values.
func countPartitions(ctx context.Context, q querier, t Table) (int64, error) {
	var n int64
	query := fmt.Sprintf("SELECT COUNT(*) FROM (SELECT DISTINCT %s FROM (%s) q) d", strings.Join(t.PartitionBy, ", "), t.Query)
	if err := queryRow(ctx, q, query, &n); err != nil {
		return 0, fmt.Errorf("count the partitions of %s: %w", t.Name, err)
	}
	return n, nil
}

// queryRow scans the one row of a query.
func queryRow(ctx context.Context, q querier, query string, dst ...any) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return fmt.Errorf("no row from %q", query)
	}
	if err := rows.Scan(dst...); err != nil {
		return err
	}
	return rows.Close()
}
