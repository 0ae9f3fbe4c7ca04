import re, sys, statistics, collections
lines = open(sys.argv[1]).read().splitlines()
# merge unfinished/resumed
pend = {}
calls = []
def ts(s):
    h,m,x = s.split(':'); return int(h)*3600+int(m)*60+float(x)
for l in lines:
    m = re.match(r'(\d+) (\S+) (.*)', l)
    if not m: continue
    tid, t, rest = m.group(1), ts(m.group(2)), m.group(3)
    if '<unfinished' in rest:
        pend[tid] = (t, rest); continue
    if rest.startswith('<... '):
        t0, r0 = pend.pop(tid, (t, rest)); rest = r0.replace('<unfinished ...>', '') + rest; t = t0
    name = rest.split('(')[0]
    dur = re.search(r'<([\d.]+)>\s*$', rest)
    dur = float(dur.group(1))*1e6 if dur else None
    size = None
    if name == 'pwrite64':
        mm = re.search(r"\"(?:\.\.\.)?, (\d+), (\d+)", rest)
        if mm: size = int(mm.group(1))
    calls.append((t, tid, name, dur, size))
span = calls[-1][0]-calls[0][0]
by = collections.defaultdict(list)
for c in calls: by[c[2]].append(c)
for n, cs in by.items():
    ds = [c[3] for c in cs if c[3] is not None]
    print(f"{n}: {len(cs)/span:,.0f}/s, p50 {statistics.median(ds):.0f} us, mean {statistics.mean(ds):.0f} us, p90 {sorted(ds)[int(len(ds)*.9)]:.0f}")
    if n == 'pwrite64':
        sz = collections.Counter(c[4] for c in cs)
        print("   sizes:", sz.most_common(8))
        print("   bytes/s: %.0f MB/s" % (sum(c[4] or 0 for c in cs)/span/1e6))
fs = by.get('fdatasync', [])
gaps = [(fs[i+1][0] - (fs[i][0] + fs[i][3]/1e6))*1e6 for i in range(len(fs)-1) if fs[i][3]]
if gaps: print(f"gap between fdatasyncs: p50 {statistics.median(gaps):.0f} us mean {statistics.mean(gaps):.0f}")
