#!/bin/bash
# The warming what-if beside walactors-client and the ideal loop, 3 runs, one at a time.
cd /work/wt-bench
out=bench/results/issue12
log=$out/runs.log
for i in 1 2 3; do
  echo "warmed-$i start $(date -u +%FT%TZ) uptime: $(uptime)" >> $log
  dotnet run -c Release --no-build --project bench/WalActors.Benchmarks -- --json --systems ideal,walactors-client,walactors-warmed --recovery-size 16MiB > $out/warmed-$i.json
  echo "warmed-$i end   $(date -u +%FT%TZ) uptime: $(uptime)" >> $log
done
echo "warmed done" >> $log
