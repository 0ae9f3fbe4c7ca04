#!/bin/bash
# usage: ab.sh ROUNDS PAYLOADS  -> alternates base and new
for r in $(seq 1 $1); do
 for v in base new; do
  d=/work/main; [ $v = base ] && d=/work/wt-base
  echo "== $v round $r $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  $d/bench/WalActors.Benchmarks/bin/Release/net10.0/WalActors.Benchmarks --producers $4 --payloads $2 --systems ideal,walactors-actor,walactors-client --open-producers none --rate none --recovery-size 16MiB --duration ${3:-3} 2>&1 | grep -E "^\s+[0-9]+ .*(ideal|walactors)" | grep -v "x  "
 done
done
