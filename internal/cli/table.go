package cli

import (
	"io"

	"github.com/sparkify/sparkify/internal/output"
)

// writeTable prints rows as an aligned table.
func writeTable(w io.Writer, cols []string, rows [][]any) {
	output.Write(w, output.Table, &output.Result{Columns: cols, Rows: rows})
}
