package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// report prints the medians and writes them to o.out as Markdown.
func report(o *options, d *dataset, r *results) error {
	var b strings.Builder
	w := &b
	fmt.Fprintf(w, "# Benchmark results\n\n")
	fmt.Fprintf(w, "Reproduce: `bench/run.sh %s`  (%s)\n\n", strings.Join(os.Args[1:], " "), time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(w, "Machine: %s, %d cores, %s RAM, %s; DuckDB threads %d on both sides.\n\n", cpuModel(), runtime.NumCPU(), memTotal(), runtime.Version(), o.threads)
	fmt.Fprintf(w, "Data (`sparkify generate`, scale %g): %d events in 30 daily files + %d on the 31st day, %s on disk, warm page cache. Every case ran %d times, alternating sides; the tables are medians. Before any timing, each baseline's star tables were verified equal to sparkify's (row counts and row checksums of all six tables).\n\n",
		o.scale, d.events, d.extraEvents, humanBytes(d.bytes), o.reps)
	fmt.Fprintf(w, "Every sparkify case is `sparkify etl --songs ... --logs ... --warehouse ... --json`, the command as the README shows it, data-quality checks on; the cases marked no-check skip them (`--no-check`).\n\n")
	fmt.Fprintf(w, "Where the time goes, from the profiles, and which goals are not met and why: [PROFILE.md](PROFILE.md).\n\n")
	for _, eng := range o.engines {
		s := r.samples[eng]
		if s == nil {
			continue
		}
		fmt.Fprintf(w, "## %s\n\n| case | wall (median) | peak RSS (median) | events/s |\n|---|---:|---:|---:|\n", eng)
		for _, c := range []string{caseBaseline, caseCold, caseProgress, caseIncremental, caseNoop,
			noCheck(caseCold), noCheck(caseIncremental), noCheck(caseNoop)} {
			xs := s[c]
			if len(xs) == 0 {
				continue
			}
			walls, rss := make([]time.Duration, len(xs)), make([]int64, len(xs))
			for i, x := range xs {
				walls[i], rss[i] = x.wall, x.rssKiB
			}
			mw := median(walls)
			rate := "-"
			switch strings.TrimSuffix(c, noCheckLabel) {
			case caseBaseline, caseCold, caseProgress:
				rate = fmt.Sprintf("%.0f", float64(d.events)/mw.Seconds())
			case caseIncremental:
				rate = fmt.Sprintf("%.0f", float64(d.extraEvents)/mw.Seconds())
			}
			fmt.Fprintf(w, "| %s | %.2f s | %d MiB | %s |\n", c, mw.Seconds(), median(rss)/1024, rate)
		}
		cold := medianWall(s[caseCold])
		fmt.Fprintf(w, "\n- cold load / baseline: **%.2fx** (median of the per-run ratios)\n", median(r.ratios[eng]))
		if eng == "duckdb" && len(r.progressRatios) > 0 {
			fmt.Fprintf(w, "- cold load drawing progress on a terminal / without: **%.2fx** (median of the per-run ratios)\n", median(r.progressRatios))
		}
		if ratios := r.checkRatios[eng]; len(ratios) > 0 {
			fmt.Fprintf(w, "- cold load with its checks / with --no-check: **%.2fx** (median of the per-run ratios)\n", median(ratios))
		}
		fmt.Fprintf(w, "- one more day / cold load: **%.1f%%**\n", 100*medianWall(s[caseIncremental]).Seconds()/cold.Seconds())
		fmt.Fprintf(w, "- nothing new: **%.2f s**\n", medianWall(s[caseNoop]).Seconds())
		if rates := r.logStageRate[eng]; len(rates) > 0 {
			fmt.Fprintf(w, "- events staged per second in the cold load (its own step timing): **%.0f**\n", median(rates))
		}
		fmt.Fprintf(w, "- peak RSS of the sparkify process, cold load: **%d MiB**", medianRSS(s[caseCold])/1024)
		if eng == "postgres" {
			fmt.Fprintf(w, " (the server's memory is not included, for either side)")
		}
		fmt.Fprintf(w, "\n\n")
	}
	fmt.Print("\n" + b.String())
	if o.out == "" {
		return nil
	}
	return os.WriteFile(o.out, []byte(b.String()), 0o644)
}

func medianWall(xs []sample) time.Duration {
	ws := make([]time.Duration, len(xs))
	for i, x := range xs {
		ws[i] = x.wall
	}
	return median(ws)
}

func medianRSS(xs []sample) int64 {
	rs := make([]int64, len(xs))
	for i, x := range xs {
		rs[i] = x.rssKiB
	}
	return median(rs)
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	out, err := exec.Command("sh", "-c", "awk '/MemTotal/ {printf \"%.0f GiB\", $2/1048576}' /proc/meminfo").Output()
	if err != nil {
		return "?"
	}
	return string(out)
}
