package cluster

import (
	"context"
	"fmt"
	"strings"
)

// Param is one key parameter of a call, as printed by a dry run.
type Param struct{ Name, Value string }

// Call is a changing AWS call: what a dry run prints.
type Call struct {
	Service, Operation string
	Params             []Param
}

// String renders "service Operation Key=value ...". Secrets are never
// among the values: callers pass them masked.
func (c Call) String() string {
	var b strings.Builder
	b.WriteString(c.Service + " " + c.Operation)
	for _, p := range c.Params {
		v := p.Value
		if v == "" || strings.ContainsAny(v, " \t\"") {
			v = fmt.Sprintf("%q", v)
		}
		fmt.Fprintf(&b, " %s=%s", p.Name, v)
	}
	return b.String()
}

// change makes a changing call, or in a dry run prints it and pretends it
// succeeded. The error is the SDK's, for the caller to interpret.
func (m *Manager) change(ctx context.Context, c Call, do func(context.Context) error) error {
	if m.DryRun {
		fmt.Fprintln(m.Plan, "would call:", c)
		return nil
	}
	return do(ctx)
}

// planNote prints a non-AWS step of a dry run (a wait, a file write).
func (m *Manager) planNote(format string, args ...any) {
	fmt.Fprintf(m.Plan, "would "+format+"\n", args...)
}
