#!/bin/bash
# The start-up bench without perf, three ways: the default runtime, tiered compilation off (every method fully
# optimized at its first call), and loops optimized at once (no Tier0/OSR for methods with loops). The first full scan
# in a process is the one the peer bench's recovery row measures.
cd "$(dirname "$0")/../../../.."
BIN=bench/WalActors.Benchmarks/bin/Release/net10.0/WalActors.Benchmarks
mkdir -p /work/tmp-perf12-rec
for config in "default" "DOTNET_TieredCompilation=0" "DOTNET_TC_QuickJitForLoops=0"; do
  echo "== $config  ($(date -u +%T), load $(cat /proc/loadavg))"
  if [ "$config" = default ]; then $BIN startup --size 1GiB --runs 3 --dir /work/tmp-perf12-rec 2>/dev/null
  else env $config $BIN startup --size 1GiB --runs 3 --dir /work/tmp-perf12-rec 2>/dev/null; fi
done
echo "== end ($(date -u +%T), load $(cat /proc/loadavg))"
