/* 4 KiB random writes, each followed by fsync, at queue depth 1: the latency of each
 * write+fsync pair, as an application with synchronous commits sees it.
 * usage: randwrite-fsync FILE SECONDS  ->  "ops_per_s p50_us p99_us" */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FILE_SIZE (64L << 20)
#define BLOCK 4096

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s FILE SECONDS\n", argv[0]);
    return 2;
  }
  int fd = open(argv[1], O_CREAT | O_RDWR | O_TRUNC, 0644);
  if (fd < 0) { perror(argv[1]); return 1; }
  static char buf[BLOCK];
  memset(buf, 'x', BLOCK);
  /* lay the file out first so that every measured write overwrites allocated blocks */
  for (long off = 0; off < FILE_SIZE; off += 1 << 20) {
    static char mb[1 << 20];
    if (pwrite(fd, mb, sizeof mb, off) != sizeof mb) { perror("pwrite"); return 1; }
  }
  if (fsync(fd)) { perror("fsync"); return 1; }
  double seconds = atof(argv[2]);
  size_t cap = 1 << 20, n = 0;
  double *lat = malloc(cap * sizeof *lat);
  unsigned seed = 42;
  double start = now(), end = start + seconds;
  while (now() < end && n < cap) {
    long off = (long)(rand_r(&seed) % (FILE_SIZE / BLOCK)) * BLOCK;
    double t0 = now();
    if (pwrite(fd, buf, BLOCK, off) != BLOCK) { perror("pwrite"); return 1; }
    if (fsync(fd)) { perror("fsync"); return 1; }
    lat[n++] = now() - t0;
  }
  double elapsed = now() - start;
  qsort(lat, n, sizeof *lat, cmp);
  printf("%.0f %.1f %.1f\n", n / elapsed, lat[n / 2] * 1e6, lat[(size_t)(n * 0.99)] * 1e6);
  close(fd);
  unlink(argv[1]);
  return 0;
}
