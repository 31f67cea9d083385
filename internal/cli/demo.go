package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/analytics"
	"github.com/sparkify/sparkify/internal/generate"
	"github.com/sparkify/sparkify/internal/output"
	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/source/local"
)

// DemoOptions are the flags of 'sparkify demo'.
type DemoOptions struct {
	Data      string
	MatchRate float64
	Seed      int64
}

// demoMatchRate makes a third of the demo's plays catalog songs, so the
// catalog charts have something to show (real logs match far less).
const demoMatchRate = 0.35

// demoDays is a month of logs, like the public sample: long enough for the
// dashboard's weekly retention and for a few users to cancel (about 3% a
// month; see generate).
const demoDays = 30

func newDemoCmd(f *Factory) *cobra.Command {
	opts := &DemoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate a small data set, load it, and show the top songs and artists",
		Long: `Generate a small synthetic Sparkify data set in the real layout, load it
into the warehouse (sparkify.duckdb unless --warehouse says otherwise), and
print the load summary and the top songs and artists. Takes seconds.

The data set is written once to --data (default: a sparkify-demo folder in
the user cache) and reused by later runs, so a second demo loads nothing new.`,
		Example: `  sparkify demo
  sparkify demo --warehouse postgres://me@localhost:5432/sparkify`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDemo(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Data, "data", "", "where to write the generated data set (default: <user cache>/sparkify-demo)")
	cmd.Flags().Float64Var(&opts.MatchRate, "match-rate", demoMatchRate, "share of plays that are songs of the generated catalog")
	cmd.Flags().Int64Var(&opts.Seed, "seed", generate.DefaultSeed, "random seed: the same seed gives the same data")
	return cmd
}

func runDemo(ctx context.Context, f *Factory, opts *DemoOptions) error {
	dir, err := demoDir(opts)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "log_data")); err != nil {
		g := generate.DefaultOptions(dir)
		g.MatchRate, g.Seed, g.Force, g.Days = opts.MatchRate, opts.Seed, true, demoDays
		sum, err := generate.Run(ctx, g)
		if err != nil {
			return fmt.Errorf("generate the demo data: %w", err)
		}
		f.info("Generated %d song files and %d events over %d days in %s", sum.SongFiles, sum.Events, sum.LogFiles, dir)
	} else {
		f.info("Reusing the demo data in %s", dir)
	}
	songs, err := local.New(filepath.Join(dir, "song_data"))
	if err != nil {
		return err
	}
	logs, err := local.New(filepath.Join(dir, "log_data"))
	if err != nil {
		return err
	}
	wh, err := f.OpenWarehouse(ctx, false, false)
	if err != nil {
		return err
	}
	res, err := pipeline.Run(ctx, wh, pipeline.Options{Songs: songs, Logs: logs, Check: checkHook(f)})
	if res != nil && !f.Quiet {
		fmt.Fprintln(f.IO.Out)
		writeSummary(f.IO.Out, res)
	}
	if err != nil {
		return err
	}
	for _, name := range []string{"top-songs", "top-artists"} {
		q, err := analytics.Get(name)
		if err != nil {
			return err
		}
		r, err := analytics.Run(ctx, wh.DB(), q, analytics.Args{})
		if err != nil {
			return err
		}
		fmt.Fprintf(f.IO.Out, "\n%s\n", q.Description)
		if err := output.Write(f.IO.Out, output.Table, r); err != nil {
			return err
		}
	}
	f.info("\nNext: sparkify query --list, sparkify sql \"SELECT ...\", sparkify runs")
	return nil
}

func demoDir(opts *DemoOptions) (string, error) {
	if opts.Data != "" {
		return opts.Data, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	return filepath.Join(cache, "sparkify-demo", fmt.Sprintf("seed-%d-match-%g-days-%d", opts.Seed, opts.MatchRate, demoDays)), nil
}
