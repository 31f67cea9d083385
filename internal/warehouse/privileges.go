package warehouse

import (
	"context"
	"fmt"
)

// LoginPrivileges lists the privileges of wh's login that let SQL reach
// beyond the warehouse: "superuser", "pg_execute_server_program",
// "pg_read_server_files", "pg_write_server_files". It runs the engine's
// login_privileges block; an embedded engine returns none.
func LoginPrivileges(ctx context.Context, wh Warehouse) ([]string, error) {
	q, err := wh.SQL().Text("login_privileges")
	if err != nil {
		return nil, err
	}
	rows, err := wh.DB().QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("check the privileges of the %s login: %w", wh.Engine(), err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("check the privileges of the %s login: %w", wh.Engine(), err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("check the privileges of the %s login: %w", wh.Engine(), err)
	}
	return out, nil
}
