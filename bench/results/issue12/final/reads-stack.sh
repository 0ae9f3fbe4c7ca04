#!/bin/bash
# The user stacks that send reads to the device at 64 x 4 KiB: perf's block:block_bio_queue tracepoint with -g, 3 s into
# the walactors-actor row (DOTNET_PerfMapEnabled=1 names the JIT frames).
cd "$(dirname "$0")/../../../.."
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
BIN=bench/WalActors.Benchmarks/bin/Release/net10.0/WalActors.Benchmarks
echo "load $(cat /proc/loadavg)"
$BIN --producers 64 --payloads 4096 --systems walactors-actor --open-producers none --rate none --recovery-size 16MiB --duration 8 > /tmp/perf12-reads-stack-bench.txt 2>&1 &
PID=$!
sleep 5
perf record -e block:block_bio_queue -g -p $PID -o /tmp/perf12-reads-stack.data -- sleep 3 > /dev/null 2>&1
wait $PID
perf script -i /tmp/perf12-reads-stack.data 2>/dev/null | python3 -c "
import sys, collections
c = collections.Counter(); n = 0; sectors = 0
for s in sys.stdin.read().split('\\n\\n'):
    lines = [l.strip() for l in s.strip().split('\\n') if l.strip()]
    if not lines or 'block_bio_queue:' not in lines[0]: continue
    f = lines[0].split('block_bio_queue:')[1].split()
    if 'R' not in f[1]: continue
    n += 1; sectors += int(f[4])
    names = [l.split('[WalActors] ')[1].split('(')[0] for l in lines[1:] if '[WalActors]' in l]
    c[' <- '.join(x.split('::')[-1] + ' (' + x.split('::')[0].split('.')[-1] + ')' for x in names[:2]) + ' ... ' + (('under RecoveryPointActor (its Check handler, Keep inlined)' if any('RecoveryPointActor' in x for x in names) else 'not under RecoveryPointActor') + ' [' + f[1] + ']')] += 1
print(n, 'read bios,', round(sectors * 512 / 2**20, 1), 'MiB in 3 s')
for k, v in c.most_common(8): print(f'{v:6d}  {k}')
"
echo "load $(cat /proc/loadavg)"
