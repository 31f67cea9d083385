package redshift

import (
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestOnPostgresIgnoresLogJSONPath: dwh.cfg's [S3] LOG_JSONPATH (the
// original project's document) is not what the events COPY uses: COPY maps
// JSONPaths expressions to the raw table's columns by position, so every
// events COPY names sparkify's own document, written to the stage from the
// raw table's column list (docs/redshift.md says why).
func TestOnPostgresIgnoresLogJSONPath(t *testing.T) {
	r := newRig(t)
	r.cfg.LogJSONPath = "s3://udacity-dend/log_json_path.json"
	warehousetest.Load(t, r.open(false), warehousetest.CopySample(t, 1))
	events := 0
	for _, text := range r.emu.texts {
		if !strings.Contains(text, "tmp_copy_events") {
			continue
		}
		events++
		if strings.Contains(text, "log_json_path") || !strings.Contains(text, "JSON 's3://stage/dwh/sparkify/jsonpaths/events-v1.json'") {
			t.Errorf("events COPY does not use sparkify's JSONPaths document:\n%s", text)
		}
	}
	if events == 0 {
		t.Fatal("no events COPY ran")
	}
}
