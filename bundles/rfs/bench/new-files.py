#!/usr/bin/env python3
# New files through a directory (docs/benchmarks.md, "New files while alone"): N times, a 4 KiB
# file created under a new name, written and closed; prints files per second.
# usage: new-files.py DIR N ROUND-TAG
import os, sys, time
d, n, r = sys.argv[1], int(sys.argv[2]), sys.argv[3]
buf = os.urandom(4096)
t0 = time.perf_counter()
for i in range(n):
    fd = os.open(os.path.join(d, "new-%s-%d" % (r, i)), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.write(fd, buf)
    os.close(fd)
print("%.1f" % (n / (time.perf_counter() - t0)))
