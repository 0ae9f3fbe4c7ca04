#!/bin/bash
# Sequential full runs: never two at once on 2 cores. experiments-1.json is kept from the first sequence (same experiment code).
cd /work/wt-bench
out=bench/results/issue12
mkdir -p $out
log=$out/runs.log
for i in 1 2 3; do
  echo "peer-$i start $(date -u +%FT%TZ) uptime: $(uptime)" >> $log
  dotnet run -c Release --no-build --project bench/WalActors.Benchmarks -- --json > $out/peer-$i.json
  echo "peer-$i end   $(date -u +%FT%TZ) uptime: $(uptime)" >> $log
  if [ $i -gt 1 ]; then
    echo "experiments-$i start $(date -u +%FT%TZ) uptime: $(uptime)" >> $log
    dotnet run -c Release --no-build --project bench/WalActors.Benchmarks -- experiments --json > $out/experiments-$i.json
    echo "experiments-$i end   $(date -u +%FT%TZ) uptime: $(uptime)" >> $log
  fi
done
echo "own-1 start $(date -u +%FT%TZ) uptime: $(uptime)" >> $log
dotnet run -c Release --no-build --project src/WalActors.Host -- bench --json > $out/own-1.json
echo "own-1 end   $(date -u +%FT%TZ) uptime: $(uptime)" >> $log
echo done >> $log
