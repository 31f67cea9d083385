package redshift

import (
	"testing"

	"github.com/sparkify/sparkify/internal/warehouse"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestOnPostgresContract runs the contract suite every engine runs on the
// Redshift driver, on PostgreSQL with an emulated COPY: a fresh rig (its
// own schema and stage bucket) for every warehouse the suite opens. One
// case cannot hold by design; docs/redshift.md explains it.
func TestOnPostgresContract(t *testing.T) { contractOn(t, newRig) }

// TestOnPostgresServerlessContract runs the same suite on a Serverless rig
// (the SYS views, no STL or STV tables).
func TestOnPostgresServerlessContract(t *testing.T) { contractOn(t, newServerlessRig) }

func contractOn(t *testing.T, newRig func(*testing.T) *rig) {
	warehousetest.RunExcept(t, func(tb testing.TB) warehouse.Warehouse {
		return newRig(tb.(*testing.T)).open(false)
	}, map[string]string{
		"RejectsOverLimit": "the failed run records every bad line sparkify can know of, but those COPY read carry COPY's reasons " +
			"('Invalid JSONPath format: ...'), not the Go decoder's ('invalid JSON: ...') that the case wants " +
			"(TestOnPostgresRejects and TestOnPostgresRejectsOfAbortedCopy cover Redshift's own behaviour)",
	})
}
