#!/usr/bin/env python3
# Atomic saves through a directory (docs/benchmarks.md, "Renames while alone"): N times, a 4 KiB
# file written under a new name, then renamed over one of 50 names; prints saves per second.
# usage: atomic-saves.py DIR N ROUND-TAG
import os, sys, time
d, n, r = sys.argv[1], int(sys.argv[2]), sys.argv[3]
buf = os.urandom(4096)
t0 = time.perf_counter()
for i in range(n):
    tmp = os.path.join(d, "tmp-%s-%d" % (r, i))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, buf)
    os.close(fd)
    os.rename(tmp, os.path.join(d, "f%d" % (i % 50)))
print("%.1f" % (n / (time.perf_counter() - t0)))
