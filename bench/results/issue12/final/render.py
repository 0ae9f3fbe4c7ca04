#!/usr/bin/env python3
"""Renders peer.json as the README's table and the met/MISSED lines exactly as BenchTable prints them."""
import json, sys
d = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "peer.json"))
R = {(r["system"], r["producers"], r["payload"]): r for r in d["results"]}
systems = ["fdatasync", "ideal", "walactors-actor", "walactors-client", "fasterlog"]
print("| producers × payload | " + " | ".join(systems) + " |")
print("|---|" + "---:|" * len(systems))
for pay in (128, 4096):
    for p in (1, 8, 64):
        print(f"| {p} × {pay} B | " + " | ".join(f"{round(R[(s, p, pay)]['appends_per_s']):,} ({round(R[(s, p, pay)]['p50_us']):,} µs)" for s in systems) + " |")
print()
for r in d["recovery"]:
    print(f"recovery {r['system']}: {r['records']:,} records, {r['bytes'] / 2**20:,.0f} MiB, {r['seconds']} s, {r['gb_per_s']} GB/s")
print()
print("the project's targets")
for t in d["targets"]:
    print(f"  {'met   ' if t['met'] else 'MISSED'}  {t['target']}: {t['actual']:,.2f} {t['unit']}")
