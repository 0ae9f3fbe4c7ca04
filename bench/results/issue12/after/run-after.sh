#!/bin/bash
# After the storage change (whole-page writes): the same commands as ../run-all.sh, one at a time, from one Release build.
# Usage: run-after.sh TAG...   (peer-N, own-N or demo-N; each appends its start/end load average to runs.log)
cd "$(dirname "$0")/../../../.."
out=bench/results/issue12/after
log=$out/runs.log
for tag in "$@"; do
  echo "$tag start $(date -u +%FT%TZ) uptime: $(uptime)" >> $log
  case $tag in
    peer-*) dotnet run -c Release --no-build --project bench/WalActors.Benchmarks -- --json > $out/$tag.json ;;
    own-*) dotnet run -c Release --no-build --project src/WalActors.Host -- bench --json > $out/$tag.json ;;
    demo-*) dotnet run -c Release --no-build --project src/WalActors.Host -- demo > $out/$tag.txt 2>&1 ;;
  esac
  echo "$tag end   $(date -u +%FT%TZ) uptime: $(uptime)" >> $log
done
echo "done $*" >> $log
