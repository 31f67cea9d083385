package export

import "errors"

// ErrUnknownTable is a --tables name that is not a star table.
var ErrUnknownTable = errors.New("unknown table")

// ErrUnknownFormat is a --format that is neither parquet nor csv.
var ErrUnknownFormat = errors.New("unknown export format")

// ErrNotAnExport means the destination holds something other than a
// sparkify export, which an export refuses to replace.
var ErrNotAnExport = errors.New("destination is not a sparkify export")

// ErrUnsupportedType is a column type the export cannot write.
var ErrUnsupportedType = errors.New("column type not supported by export")
