package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/pipeline"
)

// SchemaOptions are the flags of 'sparkify schema'.
type SchemaOptions struct {
	Reset bool
	Yes   bool
}

func newSchemaCmd(f *Factory) *cobra.Command {
	opts := &SchemaOptions{}
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Create the warehouse tables, or drop and recreate them",
		Long: `Create the staging, star and bookkeeping tables where they are missing.
--reset drops every sparkify table first: all loaded data and the run
history are lost. It asks for confirmation on a terminal, or needs --yes.
A load in progress is waited for.`,
		Example: `  sparkify schema
  sparkify schema --reset --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSchema(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Reset, "reset", false, "drop every sparkify table and create them again")
	cmd.Flags().BoolVar(&opts.Yes, "yes", false, "do not ask for confirmation")
	return cmd
}

func runSchema(ctx context.Context, f *Factory, opts *SchemaOptions) error {
	if opts.Reset && !opts.Yes {
		if !f.IO.CanPrompt() {
			return flagErrorf("--reset deletes all data: pass --yes to confirm")
		}
		ok, err := confirm(f, "Drop every sparkify table and all its data?")
		if err != nil {
			return err
		}
		if !ok {
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("schema reset cancelled")}
		}
	}
	wh, err := f.OpenWarehouse(ctx, false, false)
	if err != nil {
		return err
	}
	sess, err := wh.Session(ctx)
	if err != nil {
		return err
	}
	defer sess.Close()
	// Wait for a load in progress (or the lock of one just killed, which a
	// server may hold a moment longer) rather than fail.
	if err := sess.Lock(ctx, true); err != nil {
		return err
	}
	if opts.Reset {
		if err := pipeline.Reset(ctx, sess, wh.SQL()); err != nil {
			return err
		}
		f.info("Dropped and recreated the schema (version %d) in %s.", pipeline.SchemaVersion(wh.SQL()), wh)
		return nil
	}
	applied, err := pipeline.Migrate(ctx, sess, wh.SQL())
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		f.info("Schema is up to date (version %d) in %s.", pipeline.SchemaVersion(wh.SQL()), wh)
	} else {
		f.info("Created the schema (version %d) in %s.", pipeline.SchemaVersion(wh.SQL()), wh)
	}
	return nil
}

// confirm asks a yes/no question on the terminal.
func confirm(f *Factory, question string) (bool, error) {
	fmt.Fprintf(f.IO.ErrOut, "%s [y/N] ", question)
	line, err := bufio.NewReader(f.IO.In).ReadString('\n')
	if err != nil && line == "" {
		return false, nil
	}
	ans := strings.ToLower(strings.TrimSpace(line))
	return ans == "y" || ans == "yes", nil
}

// info prints a status line to stdout unless --quiet.
func (f *Factory) info(format string, args ...any) {
	if !f.Quiet {
		fmt.Fprintf(f.IO.Out, format+"\n", args...)
	}
}
