#!/usr/bin/env python3
import json, sys, re
for p in sys.argv[1:]:
    d = json.load(open(p))
    rows = {(r["payload"], r["system"]): r for r in d["results"]}
    print(f"{p}: load {d['load_at_start']} -> {d['load_at_end']}")
    for pay in sorted({k[0] for k in rows}):
        ideal = rows.get((pay, "ideal")); fl = rows.get((pay, "fasterlog"))
        for sysn in ["ideal", "walactors-actor", "walactors-client", "fasterlog"]:
            r = rows.get((pay, sysn))
            if not r: continue
            vi = r["appends_per_s"]/ideal["appends_per_s"] if ideal else 0
            vf = r["appends_per_s"]/fl["appends_per_s"] if fl else 0
            print(f"  {pay:5} {sysn:17} {r['appends_per_s']:9,.0f}/s p50 {r['p50_us']:6,.0f} p99 {r['p99_us']:7,.0f} syncs {r['syncs_per_s']:6,.0f} batch {r['mean_batch']:5.1f} cpu {r['cpu_us_per_append']:6.2f} B/app {r['alloc_bytes_per_append']:6.0f}  x{vi:4.2f} ideal x{vf:4.2f} fl")
