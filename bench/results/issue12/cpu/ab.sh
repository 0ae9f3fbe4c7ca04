#!/bin/bash
# usage: ab.sh LABEL_A DIR_A LABEL_B DIR_B ROUNDS OUTDIR [payloads]
LA=$1; DA=$2; LB=$3; DB=$4; N=$5; OUT=$6; PAY=${7:-128,4096}
mkdir -p $OUT
for i in $(seq 1 $N); do
  for pair in "$LA:$DA" "$LB:$DB"; do
    L=${pair%%:*}; D=${pair#*:}
    echo "$L-$i start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/runs.log
    $D/WalActors.Benchmarks --producers 64 --payloads $PAY --systems ideal,walactors-actor,walactors-client,fasterlog --open-producers none --rate none --recovery-size 16MiB --dir /work/tmp-wcpu --json > $OUT/$L-$i.json 2>/dev/null
    echo "$L-$i end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/runs.log
  done
done
