package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/source/s3"
	"github.com/sparkify/sparkify/internal/warehouse/warehousetest"
)

// fakeS3 is gofakes3 on plain HTTP (see shared/notes/verified-here.md),
// behind a handler that can fail or interrupt uploads.
type fakeS3 struct {
	t       testing.TB
	backend *s3mem.Backend
	client  *s3.Client

	mu       sync.Mutex
	puts     int
	putLimit int         // > 0: PUTs after this many fail
	onPut    func(n int) // runs on every PUT with the count so far
}

func newFakeS3(t testing.TB, bucket string) *fakeS3 {
	t.Helper()
	missing := filepath.Join(t.TempDir(), "missing")
	for k, v := range map[string]string{"AWS_CONFIG_FILE": missing, "AWS_SHARED_CREDENTIALS_FILE": missing,
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "", "AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_S3": "",
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_REGION": ""} {
		t.Setenv(k, v)
	}
	f := &fakeS3{t: t, backend: s3mem.New()}
	if err := f.backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f.wrap(gofakes3.New(f.backend).Server()))
	t.Cleanup(srv.Close)
	cfg := &config.Config{AWS: config.AWS{Key: "AKIATEST", Secret: "secret", Region: "us-west-2"}}
	c, err := s3.NewClient(context.Background(), cfg, s3.WithRetries(1, 0, time.Millisecond),
		s3.WithS3Options(func(o *awss3.Options) { o.BaseEndpoint = aws.String(srv.URL); o.UsePathStyle = true }))
	if err != nil {
		t.Fatal(err)
	}
	f.client = c
	return f
}

func (f *fakeS3) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			f.mu.Lock()
			f.puts++
			fail := f.putLimit > 0 && f.puts > f.putLimit
			onPut, n := f.onPut, f.puts
			f.mu.Unlock()
			if onPut != nil {
				onPut(n)
			}
			if fail {
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected</Message></Error>`)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// objects reads every object of the bucket: key -> content.
func (f *fakeS3) objects(bucket string) map[string][]byte {
	f.t.Helper()
	ctx := context.Background()
	out := map[string][]byte{}
	p := awss3.NewListObjectsV2Paginator(f.client.API(), &awss3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			f.t.Fatal(err)
		}
		for _, o := range page.Contents {
			r, err := f.client.Open(ctx, bucket, aws.ToString(o.Key), "", -1)
			if err != nil {
				f.t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				f.t.Fatal(err)
			}
			out[aws.ToString(o.Key)] = b
		}
	}
	return out
}

// mirror writes the objects under prefix into a local folder, so the
// export can be read back as a reader that downloads it would.
func mirror(t testing.TB, objects map[string][]byte, prefix string) string {
	t.Helper()
	dir := t.TempDir()
	for k, b := range objects {
		rel, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func keys(objects map[string][]byte) []string {
	out := make([]string, 0, len(objects))
	for k := range objects {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestS3ExportAndRerun exports to the in-process S3 server: the pointer
// manifest names the version folder, the files read back equal the
// warehouse, a rerun switches to a new version and deletes the old one
// (and an orphan of a killed export), nothing is left in the local
// staging folder, and a prefix another program owns is refused.
func TestS3ExportAndRerun(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, warehousetest.CopySample(t, 0)), true)
	want := warehouseDump(t, wh, Tables)
	fake := newFakeS3(t, "lake")
	tmp := t.TempDir()
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	opts := Options{Out: "s3://lake/exports/sparkify", S3: fake.client, TempDir: tmp, Now: func() time.Time { return clock }}
	fake.backend.PutObject("lake", "exports/sparkify/_v/20250101T000000.000Z-7/songs/data_0.parquet", map[string]string{}, bytes.NewReader([]byte("orphan")), 6, nil)
	fake.backend.PutObject("lake", "exports/sparkify/_v/notes/readme.txt", map[string]string{}, bytes.NewReader([]byte("not ours")), 8, nil)

	res := export(t, wh, opts)
	id := "20260102T030405.000Z-1"
	if res.Location != "s3://lake/exports/sparkify/" || res.Manifest.ID != id || len(res.Warnings) != 0 {
		t.Errorf("result %+v", res)
	}
	objs := fake.objects("lake")
	pointer, err := ParseManifest(objs["exports/sparkify/manifest.json"])
	if err != nil || pointer.Root != "_v/"+id+"/" || pointer.ID != id {
		t.Fatalf("pointer manifest %+v, %v", pointer, err)
	}
	if inner, err := ParseManifest(objs["exports/sparkify/_v/"+id+"/manifest.json"]); err != nil || inner.Root != "" {
		t.Errorf("version manifest %+v, %v", inner, err)
	}
	assertSame(t, "S3 export read back", readBack(t, mirror(t, objs, "exports/sparkify/")), want)
	for _, k := range keys(objs) {
		if k != "exports/sparkify/manifest.json" && k != "exports/sparkify/_v/notes/readme.txt" && !strings.HasPrefix(k, "exports/sparkify/_v/"+id+"/") {
			t.Errorf("unexpected object %s (the orphaned version should be gone)", k)
		}
	}
	if _, ok := objs["exports/sparkify/_v/notes/readme.txt"]; !ok {
		t.Error("an object the export did not make was deleted")
	}

	clock = clock.Add(time.Hour)
	res = export(t, wh, Options{Out: opts.Out, S3: fake.client, TempDir: tmp, Now: opts.Now, Format: CSV, Tables: []string{"songs", "time"}})
	id2 := "20260102T040405.000Z-1"
	objs = fake.objects("lake")
	if p, err := ParseManifest(objs["exports/sparkify/manifest.json"]); err != nil || p.Root != "_v/"+id2+"/" || p.Format != CSV {
		t.Fatalf("pointer after rerun %+v, %v", p, err)
	}
	for _, k := range keys(objs) {
		if strings.Contains(k, id) {
			t.Errorf("old version object %s left after the rerun", k)
		}
	}
	assertSame(t, "S3 rerun read back", readBack(t, mirror(t, objs, "exports/sparkify/")),
		map[string][]string{"songs": want["songs"], "time": want["time"]})
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("local staging left %d entries in %s", len(left), tmp)
	}

	fake.backend.PutObject("lake", "other/manifest.json", map[string]string{}, bytes.NewReader([]byte(`{"tables": []}`)), 14, nil)
	_, err = Run(context.Background(), wh, Options{Out: "s3://lake/other", S3: fake.client, TempDir: tmp})
	if !errors.Is(err, ErrNotAnExport) {
		t.Errorf("export over another program's manifest: err = %v, want ErrNotAnExport", err)
	}
}

// TestS3InterruptedKeepsPrevious breaks a second S3 export during its
// upload, by failing writes and by a cancel: the pointer and every object
// of the first export are unchanged and read back whole, and what was
// uploaded of the second is deleted.
func TestS3InterruptedKeepsPrevious(t *testing.T) {
	wh := openWH(t, loadDuckDB(t, warehousetest.CopySample(t, 2)), true)
	want := warehouseDump(t, wh, Tables)
	fake := newFakeS3(t, "lake")
	tmp := t.TempDir()
	opts := Options{Out: "s3://lake/sparkify", S3: fake.client, TempDir: tmp}
	export(t, wh, opts)
	before := fake.objects("lake")

	check := func(t *testing.T) {
		after := fake.objects("lake")
		if !slices.Equal(keys(after), keys(before)) {
			t.Errorf("objects after the failed export:\n%v\nwant\n%v", head(keys(after)), head(keys(before)))
		}
		for k, b := range before {
			if !bytes.Equal(after[k], b) {
				t.Errorf("%s changed", k)
			}
		}
		assertSame(t, "previous export", readBack(t, mirror(t, after, "sparkify/")), want)
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("local staging left %d entries", len(left))
		}
	}
	t.Run("failing-writes", func(t *testing.T) {
		fake.mu.Lock()
		fake.puts, fake.putLimit = 0, 5
		fake.mu.Unlock()
		defer func() { fake.mu.Lock(); fake.putLimit = 0; fake.mu.Unlock() }()
		_, err := Run(context.Background(), wh, opts)
		if err == nil || !strings.Contains(err.Error(), "upload the export") {
			t.Fatalf("err = %v, want an upload failure", err)
		}
		check(t)
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		fake.mu.Lock()
		fake.puts = 0
		fake.onPut = func(n int) {
			if n == 4 { // midway through the upload, as Ctrl-C would
				cancel()
			}
		}
		fake.mu.Unlock()
		defer func() { fake.mu.Lock(); fake.onPut = nil; fake.mu.Unlock() }()
		_, err := Run(ctx, wh, opts)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		check(t)
	})
}
