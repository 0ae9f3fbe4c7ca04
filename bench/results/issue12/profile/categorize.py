#!/usr/bin/env python3
"""Splits a perf script (perf record -g, DOTNET_PerfMapEnabled=1) of a WalActors bench into where the CPU went.

Each sample is put in the first category whose pattern its stack (leaf first) contains; prints % of all samples."""
import collections, sys

CATEGORIES = [
    ("spin: Akka DedicatedThreadPool idle (Thread.Sleep(0) -> sched_yield)", ["UnfairSemaphore"]),
    ("spin: .NET thread pool idle (LowLevelLifoSemaphore -> sched_yield)", ["LowLevelLifoSemaphore", "LowLevelSpinWaiter"]),
    ("spin: SyncActor.Linger (Thread.Yield)", ["SyncActor::Linger"]),
    ("fdatasync (kernel writeback + flush)", ["fdatasync"]),
    ("pwrite: copy into the page cache", ["copy_folio_from_iter"]),
    ("pwrite: the rest of the syscall", ["pwrite"]),
    ("posix_fadvise (dropping the cache)", ["fadvise"]),
    ("CRC-32C (FrameCodec.Checksum)", ["FrameCodec::Checksum"]),
    ("framing (FrameCodec.Encode, copy of payload)", ["FrameCodec::Encode"]),
    ("GC", ["gc_heap", "GCHeap", "WKS::", "SVR::"]),
    ("futex (blocking, waking a thread)", ["futex"]),
    ("other sched_yield", ["sched_yield"]),
    ("Akka mailbox / actor work (facade, sequencer, durability, producers)", ["Mailbox::", "ActorCell::", "ReceiveActor"]),
    ("JIT / tiered compilation", ["libclrjit", "Tiered"]),
]

def main(path):
    text = open(path, errors="replace").read()
    counts = collections.Counter()
    threads = collections.Counter()
    total = 0
    for sample in text.split("\n\n"):
        lines = [l for l in sample.strip().split("\n") if l.strip()]
        if not lines:
            continue
        total += 1
        stack = "\n".join(lines[1:])
        name = "other"
        for label, patterns in CATEGORIES:
            if any(p in stack for p in patterns):
                name = label
                break
        counts[name] += 1
        threads[lines[0].split()[0] if lines[0].split() else "?"] += 1
    print(f"{total} samples")
    for name, n in counts.most_common():
        print(f"{100.0 * n / total:5.1f}%  {name}")
    print("by thread name:")
    for name, n in threads.most_common(8):
        print(f"{100.0 * n / total:5.1f}%  {name}")

if __name__ == "__main__":
    main(sys.argv[1])
