#!/usr/bin/env bash
# One full peer run: JSON, load sampled every 15 s, start/end times. Usage: run.sh OUTDIR
set -u
out=$1; mkdir -p "$out"
cd "$(dirname "$0")/../../.."
date -u +%H:%M:%S > "$out/start.txt"; cat /proc/loadavg >> "$out/start.txt"; git rev-parse --short HEAD >> "$out/start.txt"
( while true; do echo "$(date -u +%H:%M:%S) $(cat /proc/loadavg)"; sleep 15; done ) > "$out/loadavg.log" 2>&1 &
sampler=$!
dotnet run -c Release --no-build --project bench/WalActors.Benchmarks -- --json > "$out/peer.json" 2> "$out/peer.stderr.txt"
echo "rc=$?" >> "$out/peer.stderr.txt"
kill $sampler
date -u +%H:%M:%S >> "$out/start.txt"; cat /proc/loadavg >> "$out/start.txt"
python3 bench/results/issue12/final/render.py "$out/peer.json" > "$out/peer-rendered.txt"
