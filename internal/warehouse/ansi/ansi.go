// Package ansi holds the portable SQL that every engine starts from: the
// schema, the transform from staging into the star, and the bookkeeping.
// Engines override blocks where their dialect differs.
package ansi

import (
	"embed"
	"io/fs"

	"github.com/sparkify/sparkify/internal/warehouse/sqlset"
)

//go:embed sql/*.sql
var files embed.FS

// Set returns the portable statements.
func Set() *sqlset.Set {
	sub, _ := fs.Sub(files, "sql")
	return sqlset.MustParse(sub)
}
