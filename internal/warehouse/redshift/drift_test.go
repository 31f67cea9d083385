package redshift

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// driftData is one day of the sample with a new field in one log line and
// in one song file.
func driftData(t *testing.T) warehousetest.Data {
	data := warehousetest.CopySample(t, 1)
	f := warehousetest.LogFiles(t, data.Logs)[0]
	raw := must(os.ReadFile(f))
	edited := bytes.Replace(raw, []byte(`"userId":"39"}`), []byte(`"userId":"39","device":"ios"}`), 1)
	if bytes.Equal(edited, raw) {
		t.Fatal("the sample has no line to add a field to")
	}
	os.WriteFile(f, edited, 0o644)
	song := filepath.Join(data.Songs, "Z", "Z", "TRZ1.json")
	os.MkdirAll(filepath.Dir(song), 0o755)
	os.WriteFile(song, []byte(`{"num_songs": 1, "artist_id": "ARZZZ", "artist_latitude": null, "artist_longitude": null, "artist_location": "", "artist_name": "Zed", "song_id": "SOZ1", "title": "One", "duration": 100.5, "year": 0, "genre": "jazz"}`), 0o644)
	return data
}

// TestOnPostgresSchemaDriftLocal: sparkify reads the local files it
// uploads, so the fields COPY does not read are kept in staging's extra
// column, as the other engines keep them (the contract case SchemaDrift
// checks that they are listed in the load's result).
func TestOnPostgresSchemaDriftLocal(t *testing.T) {
	r := newRig(t)
	data := driftData(t)
	w := r.open(false)
	warehousetest.Load(t, w, data)
	if got := warehousetest.Dump(t, w.DB(), "SELECT extra FROM staging_events WHERE extra IS NOT NULL"); len(got) != 1 || got[0] != `{"device":"ios"}` {
		t.Errorf("staging_events.extra = %q, want the one line's {\"device\":\"ios\"}", got)
	}
	if got := warehousetest.Dump(t, w.DB(), "SELECT song_id, extra FROM staging_songs WHERE extra IS NOT NULL"); len(got) != 1 || got[0] != `SOZ1|{"genre":"jazz"}` {
		t.Errorf("staging_songs.extra = %q, want SOZ1's {\"genre\":\"jazz\"}", got)
	}
	sameStar(t, "with new fields", warehousetest.DumpStar(t, w.DB()), duckStar(t, data))
}

// TestOnPostgresSchemaDriftS3: sparkify reads the S3 objects COPY reads in
// place, once, for their fields outside the schema: they are kept and
// listed as for local files (gzip logs included). With NoFieldScan it reads
// none: the fields are lost, and the load is right otherwise.
func TestOnPostgresSchemaDriftS3(t *testing.T) {
	for _, scan := range []bool{true, false} {
		t.Run(fmt.Sprintf("scan=%v", scan), func(t *testing.T) {
			r := newRig(t)
			r.cfg.NoFieldScan = !scan
			data := driftData(t)
			r.putTree(t, data.Songs, "song_data")
			filepathWalk(t, data.Logs, func(rel string, b []byte) {
				r.s3.put(t, "s3://udacity/log_data/"+rel+".gz", gzipBytes(t, b))
			})
			w := r.open(false)
			res, err := pipeline.Run(context.Background(), w, r.s3Sources(t))
			if err != nil {
				t.Fatal(err)
			}
			events := warehousetest.Dump(t, w.DB(), "SELECT extra FROM staging_events WHERE extra IS NOT NULL")
			songs := warehousetest.Dump(t, w.DB(), "SELECT song_id, extra FROM staging_songs WHERE extra IS NOT NULL")
			fields := append(res.Source("log").NewFields, res.Source("song").NewFields...)
			if scan {
				if len(events) != 1 || events[0] != `{"device":"ios"}` || len(songs) != 1 || songs[0] != `SOZ1|{"genre":"jazz"}` {
					t.Errorf("extra: events %q, songs %q; want the one line's device and SOZ1's genre", events, songs)
				}
				if strings.Join(fields, ",") != "device,genre" {
					t.Errorf("new fields %q, want device and genre", fields)
				}
			} else if len(events)+len(songs)+len(fields) != 0 {
				t.Errorf("without the scan: extra %q %q, new fields %q", events, songs, fields)
			}
			sameStar(t, "from S3 with new fields", warehousetest.DumpStar(t, w.DB()), duckStar(t, data))
		})
	}
}

// TestFindExtrasGzip: a gzip log file is read decompressed; lines the
// decoder refuses (COPY's to reject) are only remembered; a file with no unknown
// field has no extras.
func TestFindExtrasGzip(t *testing.T) {
	line := `{"artist":null,"auth":"Logged In","firstName":"A","gender":"F","itemInSession":0,"lastName":"B","length":null,"level":"free","location":null,"method":"GET","page":"Home","registration":null,"sessionId":1,"song":null,"status":200,"ts":1541105830796,"userAgent":null,"userId":"999"`
	body := line + `,"device":"ios","os":{"v":17}}` + "\n{not json\n" + line + "}\n"
	x, err := findExtras("log", "2018/11/day.json.gz", bytes.NewReader(gzipBytes(t, []byte(body))))
	if err != nil || x == nil {
		t.Fatalf("extras %+v, %v", x, err)
	}
	if len(x.events) != 1 || x.events[0].extra != `{"device":"ios","os":{"v":17}}` || len(x.fields) != 2 {
		t.Errorf("extras %+v", x)
	}
	if len(x.bad) != 1 || x.bad[0].Line != 2 || !strings.HasPrefix(x.bad[0].Reason, "invalid JSON") || x.bad[0].Raw != "{not json" {
		t.Errorf("the refused lines %+v, want line 2's invalid JSON", x.bad)
	}
	if x, err := findExtras("log", "day.json", bytes.NewReader([]byte(line+"}\n"))); x != nil || err != nil {
		t.Errorf("a file without new fields: %+v, %v", x, err)
	}
}
