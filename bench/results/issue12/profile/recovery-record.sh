#!/bin/bash
# usage: recovery-record.sh OUT [runs]
# perf over the whole `startup` bench (1 GiB of 128 B records); the full-scan rows' samples are picked out afterwards
# by their stack (recovery-categorize.py keeps the samples under LogAnalyzer.Analyze).
OUT=$(realpath -m "$1"); RUNS=${2:-3}
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
# the JIT's listing of the hot methods, to place the samples inside ReadFrame (CRC inlined) by offset
export DOTNET_JitDisasm="ReadFrame Checksum CheckHeader Ensure Take Complete Analyze" DOTNET_JitDisasmWithCodeBytes=1 DOTNET_JitStdOutFile=$OUT.disasm
cd "$(dirname "$0")/../../../.."
BIN=bench/WalActors.Benchmarks/bin/Release/net10.0/WalActors.Benchmarks
mkdir -p /work/tmp-perf12-rec
echo "start $(date -u +%T) load $(cat /proc/loadavg)" > $OUT.load
perf record -F 1999 -g -o $OUT.data -- $BIN startup --size 1GiB --runs $RUNS --dir /work/tmp-perf12-rec > $OUT.txt 2> $OUT.stderr
echo "end $(date -u +%T) load $(cat /proc/loadavg)" >> $OUT.load
PID=$(perf script -i $OUT.data -F pid 2>/dev/null | head -1 | tr -d " "); cp /tmp/perf-$PID.map $OUT.map
