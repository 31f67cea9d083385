package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/buildinfo"
)

// VersionOptions are the flags of 'sparkify version' (and of the root's
// --version).
type VersionOptions struct {
	JSON bool
}

func newVersionCmd(f *Factory) *cobra.Command {
	opts := &VersionOptions{}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print sparkify's version, VCS revision, Go and DuckDB versions",
		Example: `  sparkify version
  sparkify --version
  sparkify version --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVersion(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the versions as a JSON object")
	return cmd
}

// addRootVersionFlags gives the root command --version (and --json with
// it), answered by runVersion; without --version the root prints its help.
func addRootVersionFlags(root *cobra.Command, f *Factory) {
	var show bool
	opts := &VersionOptions{}
	root.Flags().BoolVar(&show, "version", false, "print the version and exit")
	root.Flags().BoolVar(&opts.JSON, "json", false, "with --version: print it as a JSON object")
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if !show {
			if opts.JSON {
				return flagErrorf("--json needs --version or a command")
			}
			return cmd.Help()
		}
		return runVersion(cmd.Context(), f, opts)
	}
}

func runVersion(ctx context.Context, f *Factory, opts *VersionOptions) error {
	info, err := buildinfo.Read(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(f, info)
	}
	_, err = fmt.Fprintln(f.IO.Out, info.String())
	return err
}
