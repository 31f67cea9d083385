package s3_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/sparkify/sparkify/internal/config"
	"github.com/sparkify/sparkify/internal/source/resolve"
	"github.com/sparkify/sparkify/internal/source/s3"
)

// authServer is gofakes3 behind a handler that records whether each
// request carried an Authorization header and, when public is false,
// refuses unsigned ones as a private bucket does.
type authServer struct {
	srv     *httptest.Server
	backend *s3mem.Backend
	public  bool
	// region, when set, is sent as x-amz-bucket-region on every answer,
	// as S3 does on HeadBucket.
	region string

	mu       sync.Mutex
	signed   int
	unsigned int
}

// newAuthServer starts the server with bucket "public-data" holding two log
// files, and points the SDK at it through the environment, with an empty
// credential chain (no keys, no shared files, no instance metadata).
func newAuthServer(t *testing.T, public bool) *authServer {
	t.Helper()
	isolateAWS(t)
	a := &authServer{backend: s3mem.New(), public: public}
	faker := gofakes3.New(a.backend)
	inner := faker.Server()
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		signed := r.Header.Get("Authorization") != ""
		a.mu.Lock()
		if signed {
			a.signed++
		} else {
			a.unsigned++
		}
		a.mu.Unlock()
		if a.region != "" {
			w.Header().Set("X-Amz-Bucket-Region", a.region)
		}
		if !signed && !a.public {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
			return
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(a.srv.Close)
	if err := a.backend.CreateBucket("public-data"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"log_data/2018/11/a-events.json", "log_data/2018/11/b-events.json"} {
		body := strings.NewReader(`{"ts":1}` + "\n")
		if _, err := a.backend.PutObject("public-data", k, map[string]string{}, body, int64(body.Len()), nil); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("AWS_ENDPOINT_URL_S3", a.srv.URL)
	t.Setenv("AWS_REGION", "us-west-2")
	return a
}

func (a *authServer) counts() (signed, unsigned int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.signed, a.unsigned
}

// TestNoCredentialsReadsUnsigned: with nothing in the credential chain, a
// source (opened as etl and watch open it) lists the public bucket with
// requests that carry no Authorization header, and says why.
func TestNoCredentialsReadsUnsigned(t *testing.T) {
	a := newAuthServer(t, true)
	src, err := resolve.Open(context.Background(), "s3://public-data/log_data", &config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	objs, err := src.List(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 {
		t.Fatalf("listed %d objects, want the 2 uploaded", len(objs))
	}
	if signed, unsigned := a.counts(); signed != 0 || unsigned == 0 {
		t.Fatalf("%d signed and %d unsigned requests; want only unsigned", signed, unsigned)
	}
	if got := src.(*s3.Bucket).Unsigned(); got != "no AWS credentials found" {
		t.Errorf("Unsigned() = %q", got)
	}
}

// TestNoSignRequestWinsOverKeys: asked not to sign, a reader does not sign
// even with static keys configured; without the setting the same keys sign
// (so the header check above can fail).
func TestNoSignRequestWinsOverKeys(t *testing.T) {
	a := newAuthServer(t, true)
	keys := config.AWS{Key: "AKIATEST", Secret: "secret"}
	src, err := resolve.Open(context.Background(), "s3://public-data/log_data", &config.Config{AWS: keys, NoSignRequest: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if signed, _ := a.counts(); signed != 0 || src.(*s3.Bucket).Unsigned() != "--no-sign-request" {
		t.Fatalf("%d signed requests with NoSignRequest; Unsigned() = %q", signed, src.(*s3.Bucket).Unsigned())
	}
	src, err = resolve.Open(context.Background(), "s3://public-data/log_data", &config.Config{AWS: keys})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := a.counts()
	if _, err := src.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if after, _ := a.counts(); after == before || src.(*s3.Bucket).Unsigned() != "" {
		t.Fatalf("with keys: no signed request (%d before, %d after)", before, after)
	}
}

// TestPrivateBucketRefusingUnsignedSaysConfigureCredentials: the error names
// the refusal and what to do, not the SDK's credential chain.
func TestPrivateBucketRefusingUnsignedSaysConfigureCredentials(t *testing.T) {
	newAuthServer(t, false)
	src, err := resolve.Open(context.Background(), "s3://public-data/log_data", &config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.List(context.Background(), nil)
	if !errors.Is(err, s3.ErrRefusedUnsigned) || !strings.Contains(err.Error(), "configure AWS credentials") ||
		strings.Contains(err.Error(), "IMDS") {
		t.Fatalf("err = %v", err)
	}
}

// TestWritesNeverGoUnsigned: a client for writing (the Redshift stage,
// export) with an empty chain fails on credentials without sending an
// unsigned request; a reading client refuses to write at all.
func TestWritesNeverGoUnsigned(t *testing.T) {
	a := newAuthServer(t, true)
	w, err := s3.NewClient(context.Background(), &config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.PutBytes(context.Background(), "public-data", "x.json", []byte("{}"), ""); err == nil {
		t.Fatal("a write with no credentials succeeded")
	}
	r, err := s3.NewClient(context.Background(), &config.Config{NoSignRequest: true}, s3.ForReading())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.PutBytes(context.Background(), "public-data", "y.json", []byte("{}"), ""); !errors.Is(err, s3.ErrUnsignedWrite) {
		t.Fatalf("write on a reading client: err = %v", err)
	}
	if _, unsigned := a.counts(); unsigned != 0 {
		t.Fatalf("%d unsigned requests reached the server", unsigned)
	}
}

// TestNoRegionAsksTheBucketsRegion: with no region configured anywhere (as
// for someone without an AWS account), a reading source asks S3 for the
// bucket's region and addresses it there, instead of failing with "no AWS
// region configured".
func TestNoRegionAsksTheBucketsRegion(t *testing.T) {
	a := newAuthServer(t, true)
	a.region = "eu-west-3"
	t.Setenv("AWS_REGION", "")
	src, err := resolve.Open(context.Background(), "s3://public-data/log_data", &config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if got := src.(*s3.Bucket).Region(); got != "eu-west-3" {
		t.Errorf("the source addresses %q, want the bucket's region eu-west-3", got)
	}
	if objs, err := src.List(context.Background(), nil); err != nil || len(objs) != 2 {
		t.Fatalf("listed %d objects (%v), want the 2 uploaded", len(objs), err)
	}
	// A writer (export, the Redshift stage) still needs a region: it is
	// never guessed, as it is never unsigned.
	if _, err := s3.NewClient(context.Background(), &config.Config{}); err == nil || !strings.Contains(err.Error(), "no AWS region") {
		t.Errorf("a writing client with no region: %v, want the no-region error", err)
	}
}
