/* 4 KiB random writes, each followed by fsync, at queue depth 1: the latency of each
 * write+fsync pair, as an application with synchronous commits sees it.
 * usage: randwrite-fsync [-w] SECONDS FILE...  ->  one line per FILE: "ops_per_s p50_us p99_us"
 * The files are opened O_RDWR (as databases do), or O_WRONLY with -w (as log writers do).
 * With several files (one per target: raw directory, driver, bindfs), the targets take turns in
 * slices of SLICE pairs, so that all of them meet the same moods of a shared disk; ops_per_s is
 * counted over each target's own time. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FILE_SIZE (64L << 20)
#define BLOCK 4096
#define SLICE 100
#define MAX_FILES 12
#define CAP (1 << 20)

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
  int wronly = argc > 1 && strcmp(argv[1], "-w") == 0;
  int first = 2 + wronly, nfiles = argc - first;
  if (nfiles < 1 || nfiles > MAX_FILES) {
    fprintf(stderr, "usage: %s [-w] SECONDS FILE...\n", argv[0]);
    return 2;
  }
  double seconds = atof(argv[first - 1]);
  int fd[MAX_FILES];
  double *lat[MAX_FILES], spent[MAX_FILES];
  size_t n[MAX_FILES];
  static char buf[BLOCK], mb[1 << 20];
  memset(buf, 'x', BLOCK);
  memset(mb, 'y', sizeof mb);
  for (int f = 0; f < nfiles; f++) {
    const char *path = argv[first + f];
    fd[f] = open(path, O_CREAT | (wronly ? O_WRONLY : O_RDWR) | O_TRUNC, 0644);
    if (fd[f] < 0) { perror(path); return 1; }
    /* lay the file out first so that every measured write overwrites allocated blocks */
    for (long off = 0; off < FILE_SIZE; off += sizeof mb) {
      if (pwrite(fd[f], mb, sizeof mb, off) != sizeof mb) { perror("pwrite"); return 1; }
    }
    if (fsync(fd[f])) { perror("fsync"); return 1; }
    lat[f] = malloc(CAP * sizeof *lat[f]);
    n[f] = 0;
    spent[f] = 0;
  }
  unsigned seed = 42;
  double end = now() + seconds;
  while (now() < end) {
    for (int f = 0; f < nfiles; f++) {
      double s0 = now();
      for (int i = 0; i < SLICE && n[f] < CAP; i++) {
        long off = (long)(rand_r(&seed) % (FILE_SIZE / BLOCK)) * BLOCK;
        double t0 = now();
        if (pwrite(fd[f], buf, BLOCK, off) != BLOCK) { perror("pwrite"); return 1; }
        if (fsync(fd[f])) { perror("fsync"); return 1; }
        lat[f][n[f]++] = now() - t0;
      }
      spent[f] += now() - s0;
    }
  }
  for (int f = 0; f < nfiles; f++) {
    qsort(lat[f], n[f], sizeof *lat[f], cmp);
    printf("%.0f %.1f %.1f\n", n[f] / spent[f], lat[f][n[f] / 2] * 1e6,
           lat[f][(size_t)(n[f] * 0.99)] * 1e6);
    close(fd[f]);
    unlink(argv[first + f]);
  }
  return 0;
}
