package redshift

import (
	"context"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// TestOnPostgresRegion: the cluster is in us-west-2 (dwh.cfg [AWS] REGION);
// the in-process S3 reports each bucket's region on HeadBucket, as S3 does.
// Every COPY gets REGION 'x' exactly when the buckets are in region x, not
// the cluster's; a stage in another region than the data is refused before
// any COPY.
func TestOnPostgresRegion(t *testing.T) {
	for _, tc := range []struct {
		name          string
		stage, data   string // the buckets' regions; "" reports none
		region, fails string // the REGION every COPY must have; the error wanted
	}{
		{name: "same region as the cluster", stage: "us-west-2", data: "us-west-2"},
		{name: "region unknown", stage: "", data: ""},
		{name: "another region", stage: "eu-central-1", data: "eu-central-1", region: "eu-central-1"},
		{name: "stage elsewhere than the data", stage: "us-west-2", data: "eu-central-1",
			fails: "put the --stage bucket in eu-central-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			r.s3.setRegion("stage", tc.stage)
			r.s3.setRegion("udacity", tc.data)
			data := warehousetest.CopySample(t, 1)
			r.putTree(t, data.Songs, "song_data")
			r.putTree(t, data.Logs, "log_data")
			_, err := pipeline.Run(context.Background(), r.open(false), r.s3Sources(t))
			if tc.fails != "" {
				if err == nil || !strings.Contains(err.Error(), tc.fails) {
					t.Fatalf("err = %v, want %q", err, tc.fails)
				}
				if len(r.emu.texts) != 0 {
					t.Errorf("%d COPYs ran", len(r.emu.texts))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(r.emu.texts) < 2 {
				t.Fatalf("%d COPYs, want the songs' and the logs'", len(r.emu.texts))
			}
			for _, text := range r.emu.texts {
				has := strings.Contains(text, "\nREGION ")
				if tc.region == "" && has {
					t.Errorf("a COPY with REGION, the buckets being in the cluster's region (or unknown):\n%s", text)
				}
				if tc.region != "" && !strings.Contains(text, "\nREGION '"+tc.region+"'\n") {
					t.Errorf("a COPY without REGION '%s':\n%s", tc.region, text)
				}
			}
		})
	}
}
