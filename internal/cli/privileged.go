package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sparkify/sparkify/internal/warehouse"
)

// addAllowPrivilegedFlag gives a command that runs user-written or chosen
// SQL --allow-privileged.
func addAllowPrivilegedFlag(cmd *cobra.Command, f *Factory) {
	cmd.Flags().BoolVar(&f.AllowPrivileged, "allow-privileged", false,
		"run even when the warehouse login is a superuser or may read/write server files or run programs (PostgreSQL, Redshift)")
}

// checkPrivileges refuses a warehouse whose login could reach the database
// host through SQL (COPY ... TO PROGRAM, pg_read_file, ...): a read-only
// transaction does not stop a superuser. With --allow-privileged it warns
// instead.
func (f *Factory) checkPrivileges(ctx context.Context, wh warehouse.Warehouse) error {
	privs, err := warehouse.LoginPrivileges(ctx, wh)
	if err != nil {
		return err
	}
	if len(privs) == 0 {
		return nil
	}
	list := strings.Join(privs, ", ")
	if !f.AllowPrivileged {
		return fmt.Errorf("%w on %s (%s): SQL run as it can read and write the server's files and run programs there, read-only transaction or not",
			warehouse.ErrPrivilegedLogin, wh.String(), list)
	}
	fmt.Fprintf(f.IO.ErrOut, "warning: --allow-privileged: the %s login is privileged (%s); SQL run here can reach the database server's files and programs\n",
		wh.Engine(), list)
	return nil
}
