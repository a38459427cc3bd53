#!/usr/bin/env python3
# Directories renamed through a directory (docs/benchmarks.md, "Renames while alone: a directory"):
# N times, a new directory with one 4 KiB file in it, then renamed to its final name (a release
# or a batch staged aside, then published); prints directories published per second.
# usage: dir-renames.py DIR N ROUND-TAG
import os, sys, time
d, n, r = sys.argv[1], int(sys.argv[2]), sys.argv[3]
buf = os.urandom(4096)
t0 = time.perf_counter()
for i in range(n):
    tmp = os.path.join(d, "tmp-%s-%d" % (r, i))
    os.mkdir(tmp)
    fd = os.open(os.path.join(tmp, "f"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, buf)
    os.close(fd)
    os.rename(tmp, os.path.join(d, "rel-%s-%d" % (r, i)))
print("%.1f" % (n / (time.perf_counter() - t0)))
