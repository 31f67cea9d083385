// Package cli holds sparkify's commands: one file per verb, each built from
// an options struct, a constructor and a run function, writing through
// iostreams so it can be tested without a terminal.
package cli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/escape"
	"github.com/sparkify/sparkify/internal/iostreams"
)

// Exit codes: the one place errors become numbers.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitCheckFailed = 3
	ExitLocked      = 4
	// ExitCommittedInterrupted: interrupted while the load committed; the
	// COMMIT was let finish, so the load is in the warehouse.
	ExitCommittedInterrupted = 5
	ExitCancelled            = 130
)

// goMemoryLimit is the Go heap's soft limit (see Main); DuckDB's own memory
// has a limit of its own (duckdb.DefaultMemoryLimit).
const goMemoryLimit = 192 << 20

// Main runs sparkify with the process's arguments and streams and returns
// the exit code.
func Main() int {
	// A load makes much short-lived garbage (listings, batches) but little
	// that lives: collecting a quarter as often saves a tenth of a no-op
	// rerun's time. A soft limit keeps that from growing the heap with the
	// input (a load of 200,000 song files let it reach 380 MB): past it the
	// collector runs as often as it must. GOMEMLIMIT, when set, wins.
	debug.SetGCPercent(400)
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		debug.SetMemoryLimit(goMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f := NewFactory(iostreams.System(), os.Getenv)
	return Execute(ctx, f, os.Args[1:])
}

// Execute runs the root command with args and maps the outcome to an exit
// code, printing the error to stderr.
func Execute(ctx context.Context, f *Factory, args []string) int {
	root := NewRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	stopProfile()
	f.Close()
	if err == nil {
		return ExitOK
	}
	code := ExitCode(err)
	var silent *SilentError
	if !errors.As(err, &silent) {
		fmt.Fprintln(f.IO.ErrOut, "error:", escape.Terminal(err.Error())) // errors may quote data
		if hint := hintFor(err); hint != "" {
			fmt.Fprintln(f.IO.ErrOut, hint)
		}
	}
	return code
}

// ExitCode maps an error to the process exit code.
func ExitCode(err error) int {
	var coded *ExitError
	var flagErr *FlagError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &coded):
		return coded.Code
	case errors.Is(err, context.Canceled):
		return ExitCancelled
	case errors.As(err, &flagErr), isCobraUsageError(err):
		return ExitUsage
	case isLocked(err):
		return ExitLocked
	}
	return ExitFailure
}

// NewRootCmd builds the command tree.
func NewRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "sparkify <command>",
		Short: "Turn Sparkify's song and event JSON into an analytics warehouse",
		Long: `sparkify loads Sparkify's raw song files and event logs (from a folder or S3)
into a star schema - songplays, users, songs, artists, time - in an embedded
DuckDB file (the default), PostgreSQL or Amazon Redshift, and answers the
analysts' questions about it.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Example: `  sparkify demo
  sparkify etl --songs data/song_data --logs data/log_data
  sparkify query top-songs --year 2018`,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &FlagError{Err: err}
	})
	pf := root.PersistentFlags()
	pf.StringVar(&f.Flags.ConfigFile, "config", "", "config file in the classic dwh.cfg format (default ./dwh.cfg when present)")
	pf.StringVar(&f.Flags.Warehouse, "warehouse", "", "warehouse DSN: duckdb:PATH, postgres://..., redshift://... or 'redshift' (env SPARKIFY_WAREHOUSE; default duckdb:sparkify.duckdb)")
	pf.BoolVarP(&f.Quiet, "quiet", "q", false, "print only errors and requested output")
	addProfileFlag(root)
	profile := root.PersistentPreRunE
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		f.Command = cmd.Name()
		return profile(cmd, args)
	}
	addRootVersionFlags(root, f)
	for _, add := range commands {
		root.AddCommand(add(f))
	}
	return root
}

// commands are the verbs, each adding one subcommand.
var commands = []func(*Factory) *cobra.Command{
	newETLCmd,
	newSchemaCmd,
	newSQLCmd,
	newQueryCmd,
	newRunsCmd,
	newCheckCmd,
	newWatchCmd,
	newDemoCmd,
	newServeCmd,
	newReportCmd,
	newClusterCmd,
	newGenerateCmd,
	newExportCmd,
	newVersionCmd,
}
