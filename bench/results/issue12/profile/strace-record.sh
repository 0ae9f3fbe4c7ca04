#!/bin/bash
SYS=$1; PAY=$2; OUT=$3; BIN=${4:-/work/wt-write-cpu/src/WalActors.Host/bin/Release/net10.0}
cd /work/wt-write-cpu
$BIN/WalActors.Host bench --producers 64 --payloads $PAY --systems $SYS --open-producers none --rate none --recovery-size 16MiB --duration 8 --dir /work/tmp-wcpu > $OUT.txt 2>&1 &
sleep 6
PID=$(pgrep -f "WalActors.Host bench" | head -1)
ARGS=""
for t in /proc/$PID/task/*; do c=$(cat $t/comm); case "$c" in walactors.io-di*|ideal-group*) ARGS="$ARGS -p $(basename $t)";; esac; done
echo "$ARGS" > $OUT.tids
timeout 2 strace -f -tt -T -e trace=pwrite64,fdatasync,fadvise64 $ARGS -o $OUT.strace 2>/dev/null
wait
