import re, sys, statistics
lines = open(sys.argv[1]).read().splitlines()
def ts(s):
    h,m,x = s.split(':'); return int(h)*3600+int(m)*60+float(x)
pend={}; calls=[]
for l in lines:
    m = re.match(r'(\d+) (\S+) (.*)', l)
    if not m: continue
    tid,t,rest=m.group(1),ts(m.group(2)),m.group(3)
    if '<unfinished' in rest: pend[tid]=(t,rest); continue
    if rest.startswith('<... '):
        t0,r0=pend.pop(tid,(t,rest)); rest=r0.replace('<unfinished ...>','')+rest; t=t0
    d=re.search(r'<([\d.]+)>\s*$',rest); d=float(d.group(1)) if d else 0
    sz=re.search(r'"(?:\.\.\.)?, (\d+), (\d+)',rest)
    calls.append((t,t+d,tid,rest.split('(')[0],int(sz.group(1)) if sz else 0))
fill=[c for c in calls if c[4]==1048576 or (c[3]=='fdatasync' and any(x[2]==c[2] and x[4]==1048576 for x in calls[:0]))]
filltids={c[2] for c in calls if c[4]==1048576}
fillspans=[(c[0],c[1]) for c in calls if c[2] in filltids]
logsync=[c for c in calls if c[3]=='fdatasync' and c[2] not in filltids]
ov=[];no=[]
for c in logsync:
    o=any(a<c[1] and b>c[0]-0.002 for a,b in fillspans)
    (ov if o else no).append((c[1]-c[0])*1e6)
print("fill tids",filltids)
for n,v in [("log fdatasync overlapping a fill (or within 2ms after)",ov),("log fdatasync with no fill near",no)]:
    if v: print(f"{n}: n={len(v)} p50 {statistics.median(v):.0f} mean {statistics.mean(v):.0f} p90 {sorted(v)[int(len(v)*.9)]:.0f} max {max(v):.0f}")
