package cli

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/dashboard"
)

// ReportOptions are the flags of 'sparkify report'.
type ReportOptions struct {
	Out   string
	From  string
	To    string
	Level string
	Top   int
}

func newReportCmd(f *Factory) *cobra.Command {
	opts := &ReportOptions{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the dashboard's charts into one HTML file to share",
		Long: `Write the charts of 'sparkify serve' into one self-contained HTML file:
echarts and the page's script are inside it, so it opens offline, from a
mail or a shared folder, with no server. --from, --to and --level filter it
as the dashboard's form does. --out - writes it to standard output.`,
		Example: `  sparkify report --out report.html
  sparkify report --from 2018-11-01 --to 2018-11-15 --level paid --out paid.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd.Context(), f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Out, "out", "report.html", "file to write, or - for standard output")
	fl.StringVar(&opts.From, "from", "", "first day of plays (YYYY-MM-DD)")
	fl.StringVar(&opts.To, "to", "", "last day of plays (YYYY-MM-DD)")
	fl.StringVar(&opts.Level, "level", "", "only plays at this level: free or paid")
	fl.IntVar(&opts.Top, "top", dashboard.DefaultTop, "rows of the top songs, artists and locations")
	addAllowPrivilegedFlag(cmd, f)
	return cmd
}

func runReport(ctx context.Context, f *Factory, opts *ReportOptions) error {
	// The same validation as the dashboard's query parameters.
	q := url.Values{}
	for name, v := range map[string]string{"from": opts.From, "to": opts.To, "level": opts.Level, "top": strconv.Itoa(opts.Top)} {
		if v != "" {
			q.Set(name, v)
		}
	}
	filter, err := dashboard.ParseFilter(q)
	if err != nil {
		return &FlagError{Err: err}
	}
	if opts.Out == "" {
		return flagErrorf("--out needs a file name (or - for standard output)")
	}
	wh, err := f.OpenQueryWarehouse(ctx)
	if err != nil {
		return err
	}
	data, err := dashboard.Collect(ctx, wh.DB(), filter)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := dashboard.WriteReport(&buf, dashboard.Page{Data: data, Filter: filter, Warehouse: wh.String(), Generated: f.Now()}); err != nil {
		return err
	}
	if opts.Out == "-" {
		_, err := f.IO.Out.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(opts.Out, buf.Bytes()); err != nil {
		return err
	}
	f.info("Wrote %s (%d KB): %d plays, %s.", opts.Out, buf.Len()/1024, data.Summary.Plays, filter.Describe())
	return nil
}

// writeFileAtomic writes through a temporary file in the same folder, so a
// failed write leaves no half report.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*.html")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
