package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/export"
	"github.com/sparkify/sparkify/internal/source/s3"
)

// ExportOptions are the flags of 'sparkify export'.
type ExportOptions struct {
	Out    string
	Tables []string
	Format string
	Wait   bool
	JSON   bool
}

func newExportCmd(f *Factory) *cobra.Command { return newExportCmdRun(f, nil) }

// newExportCmdRun builds the command; runF, when set, replaces the run
// function so tests can see the parsed options.
func newExportCmdRun(f *Factory, runF func(*ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{}
	cmd := &cobra.Command{
		Use:   "export --out DIR|s3://bucket/prefix",
		Short: "Write the star schema as partitioned Parquet or CSV files (a data lake)",
		Long: `Write the star tables as files any Parquet reader takes - DuckDB, pandas,
Spark, Athena - in Hive-style folders: songplays, time and sessions by year
and month (songplays/year=2018/month=11/data_0.parquet), songs by year and artist_id,
users, artists and user_levels whole. A manifest.json lists the tables, their
row counts, columns and types, partitioning, format and the latest load.
A song without a year goes to year=__HIVE_DEFAULT_PARTITION__, which readers
take as NULL.

The export is atomic: it is written aside and switched in at the end, so a
reader never sees half of it, and a failed or interrupted export leaves the
previous one as it was. A local DIR is replaced whole (it must be new, empty
or an earlier export). On S3 the files go under PREFIX/_v/<id>/ and
PREFIX/manifest.json, written last, names that folder in "root"; older
versions are then deleted. Readers start from manifest.json.

The warehouse is opened read-only and all tables are read in one snapshot.
See docs/export.md.`,
		Example: `  sparkify export --out lake
  sparkify export --out s3://my-bucket/sparkify --tables songplays,songs,artists
  sparkify export --out lake-csv --format csv --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runExport(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Out, "out", "", "folder or s3://bucket/prefix to write the export to (required)")
	fl.StringSliceVar(&opts.Tables, "tables", nil, "tables to export, comma-separated (default all: "+strings.Join(export.Tables, ",")+")")
	fl.StringVar(&opts.Format, "format", "parquet", "file format: parquet or csv")
	fl.BoolVar(&opts.Wait, "wait", false, "wait for a load holding the warehouse (DuckDB) instead of failing")
	fl.BoolVar(&opts.JSON, "json", false, "print the result and manifest as JSON")
	return cmd
}

// exportOptions checks the flags and turns them into the export's options
// (without the warehouse or S3 client).
func (opts *ExportOptions) exportOptions() (export.Options, error) {
	if strings.TrimSpace(opts.Out) == "" {
		return export.Options{}, flagErrorf("--out is required: a folder or s3://bucket/prefix to write the export to")
	}
	format, err := export.ParseFormat(opts.Format)
	if err != nil {
		return export.Options{}, flagErrorf("--format: %v", err)
	}
	var tables []string
	for _, t := range opts.Tables {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			tables = append(tables, t)
		}
	}
	if len(opts.Tables) > 0 && len(tables) == 0 {
		return export.Options{}, flagErrorf("--tables is empty: name tables from %s, or drop the flag for all", strings.Join(export.Tables, ", "))
	}
	if _, err := export.Plan(tables); err != nil {
		return export.Options{}, flagErrorf("--tables: %v", err)
	}
	return export.Options{Out: opts.Out, Tables: tables, Format: format}, nil
}

func runExport(ctx context.Context, f *Factory, opts *ExportOptions) error {
	eo, err := opts.exportOptions()
	if err != nil {
		return err
	}
	eo.Now = f.Now
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	if _, _, err := s3.ParseURI(eo.Out); err == nil {
		if eo.S3, err = s3.NewClient(ctx, cfg); err != nil {
			return fmt.Errorf("export to %s: %w", eo.Out, err)
		}
	} else if strings.HasPrefix(strings.ToLower(eo.Out), "s3:") {
		return flagErrorf("--out: %v", err)
	}
	wh, err := f.OpenWarehouse(ctx, true, opts.Wait)
	if err != nil {
		return err
	}
	res, err := export.Run(ctx, wh, eo)
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("export interrupted; nothing was changed at %s: %w", eo.Out, err)
	}
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(f.IO.ErrOut, "warning:", w)
	}
	if opts.JSON {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printExport(f, res)
	return nil
}

// printExport summarises an export for people.
func printExport(f *Factory, res *export.Result) {
	m := res.Manifest
	var rows, bytes int64
	files := 0
	for _, t := range m.Tables {
		rows, bytes, files = rows+t.Rows, bytes+t.Bytes, files+t.Files
	}
	load := "no load yet"
	if m.LoadID != nil {
		load = fmt.Sprintf("as of load %d", *m.LoadID)
	}
	f.info("Exported %s (%s, %s, %s) as %s to %s in %.2fs, %s",
		plural(int64(len(m.Tables)), "table"), plural(rows, "row"), plural(int64(files), "file"), humanBytes(bytes),
		m.Format, res.Location, float64(res.ElapsedMS)/1000, load)
	for _, t := range m.Tables {
		part := "whole"
		if len(t.PartitionBy) > 0 {
			part = "by " + strings.Join(t.PartitionBy, ", ")
		}
		f.info("  %-12s %12s %11s  %s", t.Name, plural(t.Rows, "row"), plural(int64(t.Files), "file"), part)
	}
	loc := strings.TrimSuffix(res.Location, "/")
	if m.Root != "" {
		f.info("Readers start from %s/%s; this export's files are under %s/%s", loc, export.ManifestFile, loc, strings.TrimSuffix(m.Root, "/"))
	} else {
		f.info("Readers start from %s/%s", loc, export.ManifestFile)
	}
}
