// Command bench measures sparkify against the best hand-written SQL doing
// the same job: a DuckDB baseline (read_json + CREATE TABLE AS SELECT) and a
// PostgreSQL one (COPY of the raw lines + INSERT ... SELECT). It generates the
// data set with `sparkify generate`, checks that every baseline produces the
// same star tables as sparkify before printing any timing, runs each case
// several times alternating, and writes the medians to bench/RESULTS.md.
// Every sparkify case is `sparkify etl` as the README shows it, with its
// data-quality checks; -also-no-check times the loads once more with
// --no-check, labelled as such.
//
// Run it from the repository root with bench/run.sh, which starts a
// throwaway PostgreSQL first:
//
//	bench/run.sh                 # scale 1: 100,000 songs, 5,000,000 events
//	bench/run.sh -scale 0.02     # a quick run
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
)

type options struct {
	scale    float64
	reps     int
	engines  []string
	data     string
	out      string
	threads  int
	postgres string
	bin      string
	// alsoNoCheck times the sparkify cases once more with --no-check.
	alsoNoCheck bool
}

func main() {
	if len(os.Args) > 2 && os.Args[1] == measuredArg {
		os.Exit(measured(os.Args[2:]))
	}
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], "baseline-") {
		if err := runBaselineChild(os.Args[1], os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "baseline:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	var engines string
	flag.Float64Var(&o.scale, "scale", 1, "data size: 1 = 100,000 songs, ~40,000 artists, 10,000 users, 30 days, 5,000,000 events")
	flag.IntVar(&o.reps, "reps", 3, "repetitions of every case (medians are reported)")
	flag.StringVar(&engines, "engines", "duckdb,postgres", "warehouses to measure")
	flag.StringVar(&o.data, "data", "", "where the generated data lives (default bench/data/scale-S; reused when present)")
	flag.StringVar(&o.out, "out", "bench/RESULTS.md", "results file to write; empty for none")
	flag.IntVar(&o.threads, "threads", runtime.NumCPU(), "threads for DuckDB (the same for both sides)")
	flag.StringVar(&o.postgres, "postgres", os.Getenv("SPARKIFY_TEST_POSTGRES"), "PostgreSQL server DSN (bench/run.sh starts one)")
	flag.BoolVar(&o.alsoNoCheck, "also-no-check", false, "also time sparkify's loads with --no-check (skipping the data-quality checks), labelled as such")
	flag.Parse()
	o.engines = strings.Split(engines, ",")
	if o.data == "" {
		o.data = fmt.Sprintf("bench/data/scale-%g", o.scale)
	}
	if err := run(&o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
