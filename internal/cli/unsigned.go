package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/source"
)

// addNoSignRequestFlag gives a command that reads S3 sources
// --no-sign-request.
func addNoSignRequestFlag(cmd *cobra.Command, dst *bool) {
	cmd.Flags().BoolVar(dst, "no-sign-request", false,
		"read s3:// sources with unsigned requests, as public buckets allow (env SPARKIFY_S3_NO_SIGN_REQUEST, dwh.cfg [S3] NO_SIGN_REQUEST)")
}

// unsignedSource is an S3 source that may read with unsigned requests.
type unsignedSource interface {
	// Unsigned says why requests go unsigned, or "" when they are signed.
	Unsigned() string
}

// reportUnsigned says in one line on stderr when sources are read with
// unsigned requests, and why.
func reportUnsigned(f *Factory, srcs ...source.Source) {
	if f.Quiet {
		return
	}
	for _, src := range srcs {
		if u, ok := src.(unsignedSource); ok && u.Unsigned() != "" {
			fmt.Fprintf(f.IO.ErrOut, "Reading S3 with unsigned requests (%s): only public buckets can be read\n", u.Unsigned())
			return
		}
	}
}
