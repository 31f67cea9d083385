package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sparkify/sparkify/internal/pipeline"
	"github.com/sparkify/sparkify/internal/testutil"
)

// Case names, per engine.
const (
	caseBaseline    = "baseline (hand-written SQL), cold"
	caseCold        = "sparkify etl, cold full load"
	caseIncremental = "sparkify etl, one more day"
	caseNoop        = "sparkify etl, nothing new"
)

// noCheckLabel ends the name of every case timed with --no-check.
const noCheckLabel = " (no-check, skips the data-quality checks)"

// noCheck is the name of case c timed with --no-check.
func noCheck(c string) string { return c + noCheckLabel }

// label is case c's name, timed with the checks or without.
func label(c string, checks bool) string {
	if checks {
		return c
	}
	return noCheck(c)
}

// results holds every sample by engine and case, and the stage rates.
type results struct {
	samples map[string]map[string][]sample
	// logStageRate is events staged per second in the cold loads (from the
	// load's own step timings).
	logStageRate map[string][]float64
	ratios       map[string][]float64 // per rep: sparkify cold / baseline
	// progressRatios, per rep: the DuckDB cold load drawing progress on a
	// terminal / the same without.
	progressRatios []float64
	// checkRatios, per rep: the cold load with its checks / with
	// --no-check (-also-no-check).
	checkRatios map[string][]float64
}

func run(o *options) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return fmt.Errorf("run bench from the repository root (bench/run.sh does)")
	}
	work, err := filepath.Abs("bench/work")
	if err != nil {
		return err
	}
	os.RemoveAll(work)
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	o.bin = filepath.Join(work, "sparkify")
	fmt.Println("building sparkify ...")
	if out, err := exec.Command("go", "build", "-o", o.bin, "./cmd/sparkify").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	d, err := prepare(o)
	if err != nil {
		return err
	}
	fmt.Printf("data: %d events in 30 days (+%d on day 31), %s\n", d.events, d.extraEvents, humanBytes(d.bytes))
	r := &results{samples: map[string]map[string][]sample{}, logStageRate: map[string][]float64{}, ratios: map[string][]float64{}, checkRatios: map[string][]float64{}}
	for rep := 0; rep < o.reps; rep++ {
		for _, eng := range o.engines {
			if err := runRep(o, d, r, work, self, eng, rep); err != nil {
				return err
			}
		}
	}
	return report(o, d, r)
}

func (r *results) add(eng, c string, s sample) {
	if r.samples[eng] == nil {
		r.samples[eng] = map[string][]sample{}
	}
	r.samples[eng][c] = append(r.samples[eng][c], s)
	fmt.Printf("  %-8s %-36s %7.2fs  %6d MiB\n", eng, c, s.wall.Seconds(), s.rssKiB/1024)
}

// runRep runs one repetition of an engine's cases.
func runRep(o *options, d *dataset, r *results, work, self, eng string, rep int) error {
	var base, spark, bare target
	var err error
	if base, err = newTarget(o, work, eng, fmt.Sprintf("baseline_%d", rep)); err != nil {
		return err
	}
	defer base.drop()
	if spark, err = newTarget(o, work, eng, fmt.Sprintf("sparkify_%d", rep)); err != nil {
		return err
	}
	defer spark.drop()
	// loads are the warehouses sparkify loads cold, then with one more
	// day, then with nothing new: with its checks, as the README shows the
	// command, and with -also-no-check once more without them.
	loads := []load{{spark, true}}
	if o.alsoNoCheck {
		if bare, err = newTarget(o, work, eng, fmt.Sprintf("nocheck_%d", rep)); err != nil {
			return err
		}
		defer bare.drop()
		loads = append(loads, load{bare, false})
	}
	var baseS, coldS, bareS sample
	runBase := func() error {
		baseS, err = timed(nil, self, base.baselineArgs(d, o.threads)...)
		if err == nil {
			r.add(eng, caseBaseline, baseS)
		}
		return err
	}
	runCold := func() error {
		var res *pipeline.Result
		coldS, res, err = etl(o, spark, d, true)
		if err != nil {
			return err
		}
		r.add(eng, caseCold, coldS)
		for _, t := range res.Timings {
			if t.Step == "stage log files" && t.MS > 0 {
				r.logStageRate[eng] = append(r.logStageRate[eng], float64(d.events)/(float64(t.MS)/1000))
			}
		}
		return nil
	}
	runBare := func() error {
		if !o.alsoNoCheck {
			return nil
		}
		bareS, _, err = etl(o, bare, d, false)
		if err == nil {
			r.add(eng, noCheck(caseCold), bareS)
		}
		return err
	}
	// The cold load runs between the cases it is compared with (the
	// baseline; on DuckDB also the load drawing progress; with
	// -also-no-check the load without checks), and they swap sides every rep, so a machine slowing down or speeding up in the
	// course of a rep favours neither.
	var progressS sample
	var drewProgress bool
	runProgress := func() error {
		if eng != "duckdb" {
			return nil
		}
		progressS, drewProgress, err = progressRun(o, d, r, work, rep)
		return err
	}
	order := []func() error{runBase, runBare, runCold, runProgress}
	if rep%2 == 1 {
		slices.Reverse(order)
	}
	for _, run := range order {
		if err := run(); err != nil {
			return err
		}
	}
	r.ratios[eng] = append(r.ratios[eng], coldS.wall.Seconds()/baseS.wall.Seconds())
	if drewProgress {
		r.progressRatios = append(r.progressRatios, progressS.wall.Seconds()/coldS.wall.Seconds())
	}
	if o.alsoNoCheck {
		r.checkRatios[eng] = append(r.checkRatios[eng], coldS.wall.Seconds()/bareS.wall.Seconds())
	}
	if rep == 0 {
		if err := verify(eng, base, spark); err != nil {
			return err
		}
	}
	if err := d.addExtraDay(); err != nil {
		return err
	}
	defer d.removeExtraDay()
	for _, l := range loads {
		if err := moreThenNothing(o, d, r, eng, l); err != nil {
			return err
		}
	}
	return nil
}

// load is a warehouse sparkify loads, with its checks or with --no-check.
type load struct {
	t      target
	checks bool
}

// moreThenNothing times the load of the one more day into a loaded
// warehouse, then a rerun with nothing new.
func moreThenNothing(o *options, d *dataset, r *results, eng string, l load) error {
	s, res, err := etl(o, l.t, d, l.checks)
	if err != nil {
		return err
	}
	if src := res.Source("log"); src == nil || src.FilesNew != 1 || src.LinesRead != d.extraEvents {
		return fmt.Errorf("the incremental load did not read exactly the new day: %+v", src)
	}
	r.add(eng, label(caseIncremental, l.checks), s)
	s, res, err = etl(o, l.t, d, l.checks)
	if err != nil {
		return err
	}
	if res.Status != pipeline.StatusNoop {
		return fmt.Errorf("the rerun was not a no-op: %s", res.Status)
	}
	r.add(eng, label(caseNoop, l.checks), s)
	return nil
}

// etl runs one timed `sparkify etl` (with its checks unless checks is
// false) and returns its parsed result.
func etl(o *options, t target, d *dataset, checks bool) (sample, *pipeline.Result, error) {
	out := filepath.Join(filepath.Dir(o.bin), "etl.json")
	f, err := os.Create(out)
	if err != nil {
		return sample{}, nil, err
	}
	s, err := timedTo(f, nil, o.bin, append(etlArgs(d, t.dsn, checks), "--json")...)
	f.Close()
	if err != nil {
		return s, nil, err
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		return s, nil, err
	}
	var res pipeline.Result
	if err := json.Unmarshal(raw, &res); err != nil {
		return s, nil, fmt.Errorf("etl --json: %w", err)
	}
	return s, &res, checksAsAsked(&res, checks)
}

// etlArgs is `sparkify etl` as the README shows it, data-quality checks on,
// with the warehouse named on the command line (also as the README shows);
// checks false adds --no-check.
func etlArgs(d *dataset, dsn string, checks bool) []string {
	args := []string{"etl", "--songs", d.songs, "--logs", d.logs, "--warehouse", dsn}
	if !checks {
		args = append(args, "--no-check")
	}
	return args
}

// checksAsAsked fails unless a load ran its data-quality checks exactly
// when asked, so a figure is always that of the command it is labelled
// with. A rerun with nothing new runs none either way: it loads nothing.
func checksAsAsked(res *pipeline.Result, checks bool) error {
	ran, want := res.Checks != nil, checks && res.Status != pipeline.StatusNoop
	if ran != want {
		return fmt.Errorf("etl (load %d, %s): data-quality checks ran: %v, expected %v", res.LoadID, res.Status, ran, want)
	}
	return nil
}

// target is one warehouse a case writes: a DuckDB file or a PostgreSQL schema.
type target struct {
	engine string
	dsn    string // for sparkify and for verification
	path   string // DuckDB file
	base   string // PostgreSQL server DSN
	schema string
}

func newTarget(o *options, work, eng, name string) (target, error) {
	switch eng {
	case "duckdb":
		p := filepath.Join(work, name+".duckdb")
		os.Remove(p)
		os.Remove(p + ".wal")
		return target{engine: eng, dsn: "duckdb:" + p, path: p}, nil
	case "postgres":
		if o.postgres == "" {
			return target{}, fmt.Errorf("no PostgreSQL: run bench/run.sh, or pass -postgres DSN")
		}
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, o.postgres)
		if err != nil {
			return target{}, err
		}
		defer conn.Close(ctx)
		schema := "bench_" + name
		conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			return target{}, err
		}
		return target{engine: eng, dsn: testutil.WithSearchPath(o.postgres, schema), base: o.postgres, schema: schema}, nil
	}
	return target{}, fmt.Errorf("unknown engine %q (duckdb, postgres)", eng)
}

func (t target) baselineArgs(d *dataset, threads int) []string {
	if t.engine == "duckdb" {
		return []string{"baseline-duckdb", t.path, d.songs, d.logs, strconv.Itoa(threads)}
	}
	return []string{"baseline-postgres", t.dsn, d.songs, d.logs}
}

func (t target) open() (*sql.DB, error) {
	if t.engine == "duckdb" {
		return sql.Open("duckdb", t.path+"?access_mode=READ_ONLY")
	}
	return sql.Open("pgx", t.dsn)
}

func (t target) drop() {
	if t.engine == "duckdb" {
		os.Remove(t.path)
		os.Remove(t.path + ".wal")
		return
	}
	ctx := context.Background()
	if conn, err := pgx.Connect(ctx, t.base); err == nil {
		conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+t.schema+" CASCADE")
		conn.Close(ctx)
	}
}

func verify(eng string, base, spark target) error {
	a, err := base.open()
	if err != nil {
		return err
	}
	defer a.Close()
	b, err := spark.open()
	if err != nil {
		return err
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	return sameTables(ctx, eng+" baseline vs sparkify", a, b)
}

func humanBytes(n int64) string {
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}
