package cli

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/generate"
)

// GenerateOptions are the flags of 'sparkify generate'.
type GenerateOptions struct {
	Out          string
	Force        bool
	Songs        int
	Artists      int
	Users        int
	Days         int
	EventsPerDay int
	MatchRate    float64
	Seed         int64
	Start        string
	JSON         bool
}

func newGenerateCmd(f *Factory) *cobra.Command { return newGenerateCmdRun(f, nil) }

// newGenerateCmdRun builds the command; runF, when set, replaces the run
// function so tests can see the parsed options.
func newGenerateCmdRun(f *Factory, runF func(*GenerateOptions) error) *cobra.Command {
	opts := &GenerateOptions{}
	cmd := &cobra.Command{
		Use:   "generate --out DIR",
		Short: "Write a synthetic data set of song files and event logs",
		Long: `Write a synthetic Sparkify data set in exactly the layout and formats of the
public sample: DIR/song_data/A/B/C/TR....json (one song per file) and
DIR/log_data/YYYY/MM/YYYY-MM-DD-events.json (one event per line).

--match-rate is the share of song plays that name a song of the generated
catalog (same title, artist and length), so they join the songs and artists
tables; the rest are songs the catalog does not have, as in the real data.
The same --seed and flags give the same bytes.

DIR must not exist or be empty, so data sets never mix. With --force a
non-empty DIR is accepted: its song_data and log_data folders are deleted
first and nothing else in it is touched.`,
		Example: `  sparkify generate --out data
  sparkify generate --out bench --songs 100000 --users 10000 --days 30 --events-per-day 166667
  sparkify generate --out data --force --seed 7 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runGenerate(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Out, "out", "", "folder to write song_data/ and log_data/ into (required)")
	fl.BoolVar(&opts.Force, "force", false, "accept a non-empty --out, replacing its song_data/ and log_data/")
	fl.IntVar(&opts.Songs, "songs", generate.DefaultSongs, "song files (one song each)")
	fl.IntVar(&opts.Artists, "artists", 0, "distinct artists (default 40% of --songs)")
	fl.IntVar(&opts.Users, "users", generate.DefaultUsers, "distinct users")
	fl.IntVar(&opts.Days, "days", generate.DefaultDays, "days of event logs, one file per day")
	fl.IntVar(&opts.EventsPerDay, "events-per-day", generate.DefaultEventsPerDay, "events per day")
	fl.Float64Var(&opts.MatchRate, "match-rate", generate.DefaultMatchRate, "share of song plays that are songs of the catalog, 0 to 1")
	fl.Int64Var(&opts.Seed, "seed", generate.DefaultSeed, "random seed: the same seed gives the same bytes")
	fl.StringVar(&opts.Start, "start", generate.DefaultStart, "first day of the logs, YYYY-MM-DD")
	fl.BoolVar(&opts.JSON, "json", false, "print what was written as JSON")
	return cmd
}

// generateOptions turns the flags into the generator's options.
func (opts *GenerateOptions) generateOptions() (generate.Options, error) {
	if opts.Out == "" {
		return generate.Options{}, flagErrorf("--out is required: the folder to write the data set into")
	}
	start, err := time.Parse(time.DateOnly, opts.Start)
	if err != nil {
		return generate.Options{}, flagErrorf("--start %q: want a date like 2018-11-01", opts.Start)
	}
	g := generate.DefaultOptions(opts.Out)
	g.Force, g.Songs, g.Artists, g.Users = opts.Force, opts.Songs, opts.Artists, opts.Users
	g.Days, g.EventsPerDay, g.MatchRate = opts.Days, opts.EventsPerDay, opts.MatchRate
	g.Seed, g.Start = opts.Seed, start
	return g, nil
}

func runGenerate(ctx context.Context, f *Factory, opts *GenerateOptions) error {
	g, err := opts.generateOptions()
	if err != nil {
		return err
	}
	sum, err := generate.Run(ctx, g)
	if errors.Is(err, generate.ErrInvalidOptions) {
		return &FlagError{Err: err}
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}
	f.info("Wrote %s and %s (%s) to %s in %.2fs",
		plural(int64(sum.SongFiles), "song file"), plural(int64(sum.LogFiles), "log file"),
		humanBytes(sum.Bytes), sum.Dir, float64(sum.ElapsedMS)/1000)
	f.info("%s in %s from %s to %s by up to %s; %d plays, %d of them (%.1f%%) songs of the catalog",
		plural(sum.Events, "event"), plural(sum.Sessions, "session"), sum.Start, sum.End,
		plural(int64(sum.Users), "user"), sum.Plays, sum.Matched, 100*sum.MatchRate())
	f.info("Load it with: sparkify etl --songs %s/song_data --logs %s/log_data", sum.Dir, sum.Dir)
	return nil
}
