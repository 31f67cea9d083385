package export

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// streamRows reads a table's rows through database/sql and writes them with
// the Go writers, one file per run of rows with the same partition values
// (the queries order by the partition columns, so each partition is one
// run and one file: dir/year=2018/month=11/data_0.parquet). An
// unpartitioned table is one file even when empty, so readers see its
// columns.
func streamRows(ctx context.Context, q querier, t Table, cols []Column, dir string, format Format) (int64, error) {
	rows, err := q.QueryContext(ctx, t.Query)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", t.Name, err)
	}
	defer rows.Close()

	var data, part []int
	var dataCols []Column
	for i, c := range cols {
		if c.Partition {
			part = append(part, i)
		} else {
			data = append(data, i)
			dataCols = append(dataCols, c)
		}
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	dataVals := make([]any, len(data))
	partVals := make([]any, len(part))

	w := &partitionedWriter{dir: dir, cols: dataCols, format: format, next: map[string]int{}}
	defer w.abandon()
	if len(part) == 0 {
		if err := w.open(""); err != nil {
			return 0, err
		}
	}
	var n int64
	for rows.Next() {
		if n%4096 == 0 && ctx.Err() != nil {
			return n, ctx.Err()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("read %s row %d: %w", t.Name, n+1, err)
		}
		for i, j := range part {
			partVals[i] = vals[j]
		}
		for i, j := range data {
			dataVals[i] = vals[j]
		}
		key := partitionDir(t.PartitionBy, partVals)
		if w.file == nil || key != w.key {
			if err := w.open(key); err != nil {
				return n, err
			}
		}
		if err := w.fw.Write(dataVals); err != nil {
			return n, fmt.Errorf("write %s row %d to %s: %w", t.Name, n+1, w.file.Name(), err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		return n, fmt.Errorf("read %s: %w", t.Name, err)
	}
	return n, w.close()
}

// partitionedWriter holds the one file being written.
type partitionedWriter struct {
	dir    string
	cols   []Column
	format Format
	next   map[string]int // partition -> next file number in it
	key    string
	file   *os.File
	fw     fileWriter
}

// open closes the current file and starts the next one in partition key.
func (w *partitionedWriter) open(key string) error {
	if err := w.close(); err != nil {
		return err
	}
	folder := filepath.Join(w.dir, filepath.FromSlash(key))
	if err := os.MkdirAll(folder, 0o777); err != nil {
		return fmt.Errorf("create partition folder: %w", err)
	}
	name := filepath.Join(folder, fmt.Sprintf("data_%d%s", w.next[key], w.format.ext()))
	w.next[key]++
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return fmt.Errorf("create data file: %w", err)
	}
	var fw fileWriter
	if w.format == CSV {
		fw, err = newCSVFile(f, w.cols)
	} else {
		fw, err = newParquetFile(f, w.cols)
	}
	if err != nil {
		f.Close()
		return err
	}
	w.key, w.file, w.fw = key, f, fw
	return nil
}

// close finishes the current file, if any.
func (w *partitionedWriter) close() error {
	if w.file == nil {
		return nil
	}
	f := w.file
	w.file = nil
	if err := w.fw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("finish %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.Name(), err)
	}
	return nil
}

// abandon closes a file left open by an error (the staging folder it is
// in is removed by the caller).
func (w *partitionedWriter) abandon() {
	if w.file != nil {
		w.file.Close()
		w.file = nil
	}
}
