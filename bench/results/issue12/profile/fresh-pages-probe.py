import os, time, mmap, sys
buf = b'x'*262144
SZ = 1024<<20
def mk(path):
    if os.path.exists(path): os.unlink(path)
    fd = os.open(path, os.O_RDWR|os.O_CREAT|os.O_DIRECT, 0o644)
    m = mmap.mmap(-1, 1<<20)
    for i in range(SZ >> 20):
        os.pwritev(fd, [m], i<<20)
    os.fsync(fd); os.close(fd)
def run(path, dontneed, lag):
    fd = os.open(path, os.O_RDWR)
    t = time.perf_counter(); c0 = time.process_time()
    n = SZ // len(buf)
    for i in range(n):
        os.pwrite(fd, buf, i*len(buf))
        if dontneed and i % 16 == 15 and i >= lag:
            os.fdatasync(fd)
            os.posix_fadvise(fd, 0, (i-lag)*len(buf), os.POSIX_FADV_DONTNEED)
    t1 = time.perf_counter(); c1 = time.process_time()
    os.close(fd)
    return (t1-t)/(SZ/2**20)*1e6, (c1-c0)/(SZ/2**20)*1e6
for rep in range(2):
  for dn in [False, True]:
    p = "/work/tmp-wcpu/pw-z"; mk(p)
    os.system("sync; echo 1 > /proc/sys/vm/drop_caches") if False else None
    time.sleep(6)
    w, c = run(p, dn, 32)
    print(f"after 6s idle, dontneed={dn}: {w:.0f} us/MiB wall, {c:.0f} us/MiB cpu", flush=True)
    os.unlink(p)
