#!/bin/bash
# Which thread of the bench reads from the storage device at 64 x 4 KiB: every thread's read_bytes (/proc/PID/task/TID/io)
# summed by thread name, sampled each 0.5 s (a thread's counters vanish with it, so the maximum seen is kept).
cd "$(dirname "$0")/../../../.."
BIN=bench/WalActors.Benchmarks/bin/Release/net10.0/WalActors.Benchmarks
echo "load $(cat /proc/loadavg)"
$BIN --producers 64 --payloads 4096 --systems walactors-actor --open-producers none --rate none --recovery-size 16MiB --duration ${1:-6} > /tmp/perf12-reads-bench.txt 2>&1 &
PID=$!
declare -A MAX NAME
while kill -0 $PID 2>/dev/null; do
  for t in /proc/$PID/task/*; do
    tid=${t##*/}; r=$(awk '/^read_bytes/ {print $2}' $t/io 2>/dev/null); [ -z "$r" ] && continue
    [ "${MAX[$tid]:-0}" -lt "$r" ] && MAX[$tid]=$r && NAME[$tid]=$(cat $t/comm 2>/dev/null)
  done
  sleep 0.5
done
for tid in "${!MAX[@]}"; do [ "${MAX[$tid]}" -gt 0 ] && echo "${MAX[$tid]} ${NAME[$tid]} ($tid)"; done | sort -rn | awk '{printf "%12.1f MiB  %s %s\n", $1/1048576, $2, $3}'
echo "load $(cat /proc/loadavg)"
grep -E "walactors-actor|read" /tmp/perf12-reads-bench.txt | head -8
