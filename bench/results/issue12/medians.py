#!/usr/bin/env python3
"""Medians of the issue-12 runs, as the Markdown tables in docs/PERFORMANCE.md.

Usage: python3 medians.py peer-1.json peer-2.json peer-3.json -- experiments-1.json experiments-2.json experiments-3.json
Each figure is the median over the runs of that row's figure (rows are matched by system and scenario), so a row's
figures may come from different runs; the runs' own values are listed where they matter.
"""
import json
import statistics
import sys


def load(paths):
    return [json.load(open(p)) for p in paths]


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0):
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def closed(runs):
    keys = []
    for row in runs[0]["results"]:
        key = (row["payload"], row["producers"], row["system"])
        if key not in keys:
            keys.append(key)
    order = ["fdatasync", "ideal-inline", "ideal", "walactors-actor", "walactors-client", "fasterlog"]
    keys.sort(key=lambda k: (k[0], k[1], order.index(k[2]) if k[2] in order else 99))
    print("| producers | payload | system | appends/s | p50 µs | p99 µs | syncs/s | batch | CPU µs/append | read B/MB | on path B/MB | runs' read B/MB | runs' appends/s |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for payload, producers, system in keys:
        rows = [r for run in runs for r in run["results"] if (r["payload"], r["producers"], r["system"]) == (payload, producers, system)]
        get = lambda f: med([r[f] for r in rows])
        per_run = " / ".join(fmt(r["storage_read_bytes_per_mb"]) for r in rows)
        per_run_appends = " / ".join(fmt(r["appends_per_s"]) for r in rows)
        on_path = med([r.get("write_path_read_bytes_per_mb", r["storage_read_bytes_per_mb"]) for r in rows])
        print(f"| {producers} | {payload} | {system} | {fmt(get('appends_per_s'))} | {fmt(get('p50_us'))} | {fmt(get('p99_us'))} | "
              f"{fmt(get('syncs_per_s'))} | {fmt(get('mean_batch'), 1)} | {fmt(get('cpu_us_per_append'), 2)} | {fmt(get('storage_read_bytes_per_mb'))} | "
              f"{fmt(on_path)} | {per_run} | {per_run_appends} |")


def open_loop(runs):
    keys = []
    for row in runs[0]["open_loop"]:
        key = (row["mode"], row["producers"] if row["mode"] == "in-flight" else row["offered_per_s"], row["system"])
        if key not in keys:
            keys.append(key)
    print("| mode | in flight / offered | system | appends/s | p50 µs | p99 µs | p999 µs | send lag p50 µs | batch | CPU µs/append | CPU cap/s | read B/MB | bound/s (by) | of bound | runs' appends/s |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for mode, level, system in keys:
        rows = [r for run in runs for r in run["open_loop"]
                if (r["mode"], r["producers"] if r["mode"] == "in-flight" else r["offered_per_s"], r["system"]) == (mode, level, system)]
        get = lambda f: med([r[f] for r in rows])
        per_run = " / ".join(fmt(r["appends_per_s"]) for r in rows)
        label = f"{level:,.0f} in flight" if mode == "in-flight" else f"{level:,.0f}/s"
        print(f"| {mode} | {label} | {system} | {fmt(get('appends_per_s'))} | {fmt(get('p50_us'))} | {fmt(get('p99_us'))} | {fmt(get('p999_us'))} | "
              f"{fmt(get('send_lag_p50_us'))} | {fmt(get('mean_batch'), 1)} | {fmt(get('cpu_us_per_append'), 2)} | {fmt(get('cpu_bound_per_s'))} | "
              f"{fmt(get('storage_read_bytes_per_mb'))} | {fmt(get('bound_per_s'))} ({rows[0]['bound_by']}) | {fmt(get('of_bound'), 3)} | {per_run} |")


def experiments(runs):
    keys = []
    for row in runs[0]["results"]:
        key = (row["group"], row["size"], row["method"], row["file"])
        if key not in keys:
            keys.append(key)
    for group in ["write-path", "preparation"]:
        print(f"\n{group}\n")
        print("| method | file | size | appends/s | MB/s | p50 µs | p99 µs | p999 µs | CPU µs/append | read B/MB | prep s | prep CPU s | prep read MB | runs' appends/s |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for g, size, method, file in keys:
            if g != group:
                continue
            rows = [r for run in runs for r in run["results"] if (r["group"], r["size"], r["method"], r["file"]) == (g, size, method, file)]
            if all("skipped" in r for r in rows):
                print(f"| {method} | {file} | {size:,} | skipped: {rows[0]['skipped']} |||||||||||")
                continue
            rows = [r for r in rows if "skipped" not in r]
            get = lambda f: med([r[f] for r in rows])
            prep_read = get("prepare_read_bytes")
            per_run = " / ".join(fmt(r["appends_per_s"]) for r in rows)
            print(f"| {method} | {file} | {size:,} | {fmt(get('appends_per_s'))} | {fmt(get('mb_per_s'), 1)} | {fmt(get('p50_us'))} | {fmt(get('p99_us'))} | "
                  f"{fmt(get('p999_us'))} | {fmt(get('cpu_us_per_append'), 1)} | {fmt(get('storage_read_bytes_per_mb'))} | {fmt(get('prepare_s'), 3)} | "
                  f"{fmt(get('prepare_cpu_s'), 3)} | {fmt(None if prep_read is None else prep_read / 1e6, 1)} | {per_run} |")


def main(argv):
    split = argv.index("--") if "--" in argv else len(argv)
    benches, exps = load(argv[:split]), load(argv[split + 1:])
    if benches:
        print("closed loop\n")
        closed(benches)
        print("\nopen loop\n")
        open_loop(benches)
        for run in benches:
            print(f"\nrun: load {run['load_at_start']} -> {run['load_at_end']}, sequential {run['sequential_write_mb_per_s']:,.0f} MB/s, "
                  f"barriers {run['barriers_per_s']:,.0f}/s, recovery " + ", ".join(f"{r['system']} {r['gb_per_s']:.2f} GB/s" for r in run["recovery"]))
    if exps:
        experiments(exps)
        for run in exps:
            print(f"\nexperiments run: load {run['load_at_start']} -> {run['load_at_end']}, io_uring {run['io_uring']}")


if __name__ == "__main__":
    main(sys.argv[1:])
