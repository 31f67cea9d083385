// Package buildinfo says which sparkify this is: the module version and VCS
// revision stamped by the Go toolchain, the Go version, and the DuckDB
// library linked in.
package buildinfo

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	// The embedded DuckDB engine registers the "duckdb" database/sql driver.
	_ "github.com/duckdb/duckdb-go/v2"
)

// Info describes a build of sparkify.
type Info struct {
	// Version is the main module's version: a tag such as v1.2.0, a
	// pseudo-version, or "(devel)" for a build from a work tree.
	Version string `json:"version"`
	// Revision is the VCS commit the binary was built from, when stamped.
	Revision string `json:"revision,omitempty"`
	// Time is the commit time of Revision (RFC 3339), when stamped.
	Time string `json:"time,omitempty"`
	// Modified reports uncommitted changes in the work tree at build time.
	Modified bool `json:"modified,omitempty"`
	// GoVersion is the Go toolchain that built the binary.
	GoVersion string `json:"go_version"`
	// DuckDB is the version of the linked DuckDB library.
	DuckDB string `json:"duckdb"`
}

// FromBuildInfo reads the version fields of bi; a nil bi (a binary built
// without module support) gives "unknown".
func FromBuildInfo(bi *debug.BuildInfo) Info {
	info := Info{Version: "unknown", GoVersion: runtime.Version()}
	if bi == nil {
		return info
	}
	if bi.Main.Version != "" {
		info.Version = bi.Main.Version
	}
	if bi.GoVersion != "" {
		info.GoVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Revision = s.Value
		case "vcs.time":
			info.Time = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	return info
}

// Read returns the running binary's Info, asking an in-memory DuckDB for
// its library version.
func Read(ctx context.Context) (Info, error) {
	bi, _ := debug.ReadBuildInfo()
	info := FromBuildInfo(bi)
	v, err := DuckDBVersion(ctx)
	if err != nil {
		return info, err
	}
	info.DuckDB = v
	return info, nil
}

// DuckDBVersion runs SELECT version() on an in-memory DuckDB.
func DuckDBVersion(ctx context.Context) (string, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return "", fmt.Errorf("open an in-memory DuckDB for its version: %w", err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, "SELECT version()").Scan(&v); err != nil {
		return "", fmt.Errorf("ask DuckDB for its version: %w", err)
	}
	return v, nil
}

// String is the one-line human form, e.g.
// "sparkify v1.2.0 (abc1234, 2026-01-02T03:04:05Z) go1.26.8 duckdb v1.5.6".
func (i Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sparkify %s", i.Version)
	if i.Revision != "" {
		rev := i.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if i.Modified {
			rev += "-dirty"
		}
		if i.Time != "" {
			rev += ", " + i.Time
		}
		fmt.Fprintf(&b, " (%s)", rev)
	}
	fmt.Fprintf(&b, " %s duckdb %s", i.GoVersion, i.DuckDB)
	return b.String()
}
