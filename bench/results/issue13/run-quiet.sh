#!/usr/bin/env bash
# Every issue-13 figure in one sequence on one quiet machine, one program at a time. Usage: run-quiet.sh OUTDIR
set -u
out=$(realpath -m "$1"); mkdir -p "$out"
cd "$(dirname "$0")/../../.."
BIN=bench/WalActors.Persistence.Bench/bin/Release/net10.0/WalActors.Persistence.Bench
work=$(mktemp -d /tmp/wal-issue13.XXXXXX)
( while true; do echo "$(date -u +%H:%M:%S) $(cat /proc/loadavg)"; sleep 15; done ) > "$out/loadavg.log" 2>&1 &
sampler=$!
run() { local name=$1; shift; echo "== $name $(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg): $*" | tee -a "$out/runs.log"; "$@" > "$out/$name.txt" 2>&1; echo "rc=$? $(date -u +%T)" | tee -a "$out/runs.log"; }
run scale-startup $BIN --scale-startup 10000000 10000 --startup-dir "$work/scale"
rm -rf "$work/scale"
run compaction $BIN --only-compaction --compaction-events 10000000 --compaction-ids 10000 --compaction-segment-mib 64
run storm-10k-inmem env BENCH_STORM_ROUNDS=4 $BIN --storm 10000 --journal in-memory
run storm-10k-wal env BENCH_STORM_ROUNDS=4 $BIN --storm 10000 --journal walactors
run storm-100k-wal $BIN --storm 100000 --journal walactors
run replay-one $BIN --replay-one 1000
run persist-100x1000 $BIN --skip-sqlite --startup-events 0 --warmup-events 100000
kill $sampler; rm -rf "$work"
