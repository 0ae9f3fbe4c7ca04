#!/usr/bin/env python3
"""Where a WalActors recovery scan's CPU goes: `perf script` of recovery-record.sh's capture, the samples whose stack
holds LogAnalyzer.Analyze, grouped by thread (each start of the log has its own pinned thread), then split into
categories. Samples inside RecordScanner.ReadFrame (Tier1), where the JIT inlined CheckHeader and the CRC-32C, are
placed by offset using the JIT's own listing (DOTNET_JitDisasm, recovery-record.sh's .disasm file).

usage: perf script -i X.data | recovery-categorize.py X.disasm [TID ...]   (no TIDs: every thread, one table each)"""
import collections, re, sys

SAMPLE_HZ = 1999

def readframe_regions(disasm_path):
    """(start offset, region) of RecordScanner.ReadFrame's Tier1 listing: header check, CRC loops, the rest."""
    text = open(disasm_path, errors="replace").read()
    start = text.index("; Assembly listing for method WalActors.Format.RecordScanner:ReadFrame(byref):int:this (Tier1)")
    listing = text[start:text.index("; Total bytes of code", start)]
    blocks = [(int(m.group(2), 16), m.group(1), listing[m.end():]) for m in re.finditer(r"(G_M\d+_IG\d+):\s+;; offset=0x([0-9A-F]+)", listing)]
    regions = []
    crc_blocks = [off for off, _, body in blocks if "crc32" in body.split("G_M")[0]]
    first_crc, last_crc = min(crc_blocks), max(crc_blocks)
    # the CRC region runs from the block before the first crc32 loop (its setup) to the block after the last one
    offsets = [off for off, _, _ in blocks]
    crc_from = offsets[offsets.index(first_crc) - 1]
    crc_to = offsets[offsets.index(last_crc) + 1]
    regions = [(0, "ReadFrame: entry, header check (CheckHeader inlined), frame size, Ensure calls"), (crc_from, "ReadFrame: CRC-32C loops (inlined Checksum)"),
               (crc_to, "ReadFrame: checksum compare, the record struct, position")]
    return regions

def region_of(regions, offset):
    name = regions[0][1]
    for start, n in regions:
        if offset >= start:
            name = n
    return name

def category(lines, regions):
    leaf = lines[1].strip().split(None, 1)[1]
    stack = "\n".join(lines)
    if "ScanTail" in stack:
        return "ScanTail: the bytes past the end (zeros, a recycled segment's stale frames)"
    if "libclrjit" in leaf:
        return "JIT compiling"
    if re.search(r"\[(QuickJitted|Instrumented|OSR)", leaf) or "libcoreclr" in leaf and "QuickJitted" in lines[2]:
        return "unoptimized code (Tier0/OSR, before tier-up) and its runtime helpers"
    if "_copy_to_iter" in leaf or "copy_user" in leaf or "copy_page_to_iter" in leaf:
        return "pread: copying page-cache pages into the 1 MiB buffer"
    if "kernel.kallsyms" in leaf or "PRead" in leaf or "libc_pread" in leaf:
        return "pread: the rest of the syscall (page lookup, entry/exit)"
    m = re.search(r"RecordScanner::ReadFrame\(.*\)\[OptimizedTier1\]\+0x([0-9a-f]+)", leaf)
    if m:
        return region_of(regions, int(m.group(1), 16))
    if "NonPackedIndexOfValueType" in leaf:
        return "IndexOfAnyExcept(0) on each 16-byte header (CheckHeader's zeros test)"
    if "RecordScanner::Ensure" in leaf:
        return "RecordScanner.Ensure (buffer bookkeeping, the read call)"
    if "LogPrefix::" in leaf:
        return "LogPrefix.Take/Complete (per-record bookkeeping)"
    if "LogAnalyzer::Analyze" in leaf:
        return "LogAnalyzer.Analyze loop (self)"
    if "FrameCodec::Checksum" in leaf:
        return "FrameCodec.Checksum (not inlined)"
    if "FrameCodec::CheckHeader" in leaf:
        return "FrameCodec.CheckHeader (not inlined)"
    if "libcoreclr" in leaf:
        return "runtime (libcoreclr)"
    return "other"

def main():
    disasm = sys.argv[1]
    wanted = set(sys.argv[2:])
    regions = readframe_regions(disasm)
    by_thread = collections.defaultdict(list)
    for sample in sys.stdin.read().split("\n\n"):
        lines = [l for l in sample.strip().split("\n") if l.strip()]
        if len(lines) < 2 or not any("LogAnalyzer::Analyze" in l for l in lines[1:]):
            continue
        tid = lines[0].split()[1]
        if wanted and tid not in wanted:
            continue
        by_thread[tid].append(lines)
    groups = [(t, s) for t, s in by_thread.items()]
    if wanted:
        groups = [(" + ".join(sorted(wanted)), [l for s in by_thread.values() for l in s])]
    for tid, samples in groups:
        counts = collections.Counter(category(l, regions) for l in samples)
        print(f"thread {tid}: {len(samples)} samples = {len(samples) / SAMPLE_HZ:.3f} s on CPU")
        for name, n in counts.most_common():
            print(f"  {100 * n / len(samples):5.1f}%  {n:5d}  {name}")
        print()

if __name__ == "__main__":
    main()
