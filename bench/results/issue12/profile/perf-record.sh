#!/bin/bash
# usage: wcpu-prof.sh SYSTEM PAYLOAD OUT [extra perf args]
SYS=$1; PAY=$2; OUT=$3
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
cd /work/wt-write-cpu
src/WalActors.Host/bin/Release/net10.0/WalActors.Host bench --producers 64 --payloads $PAY --systems $SYS --open-producers none --rate none --recovery-size 16MiB --duration 12 --dir /work/tmp-wcpu > $OUT.txt 2>&1 &
sleep 6
PID=$(pgrep -f "WalActors.Host bench" | head -1)
echo "load $(cat /proc/loadavg)" >> $OUT.load
perf record -F 1999 -g -p $PID -o $OUT.data -- sleep 6 > /dev/null 2>&1
wait
cp /tmp/perf-$PID.map $OUT.map 2>/dev/null
echo "load $(cat /proc/loadavg)" >> $OUT.load
