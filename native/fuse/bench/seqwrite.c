/* Sequential write of MIB mebibytes in 1 MiB write() calls, then fsync, through an O_RDWR
 * descriptor (or O_WRONLY with "wronly"): what `dd bs=1M conv=fsync` measures, for writers that
 * keep their file open read-write (databases, most servers).
 * usage: seqwrite FILE MIB [wronly] [nosync]  ->  "MiB/s" (write and fsync)
 * "nosync": no fsync, for a warm-up that only cycles memory (see run-bench.sh). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  int wronly = 0, nosync = 0;
  for (int i = 3; i < argc; i++) {
    if (strcmp(argv[i], "wronly") == 0) {
      wronly = 1;
    } else if (strcmp(argv[i], "nosync") == 0) {
      nosync = 1;
    } else {
      argc = 0;
    }
  }
  if (argc < 3) {
    fprintf(stderr, "usage: %s FILE MIB [wronly] [nosync]\n", argv[0]);
    return 2;
  }
  long mib = atol(argv[2]);
  static char buf[1 << 20];
  memset(buf, 'z', sizeof buf);
  double t0 = now();
  int fd = open(argv[1], O_CREAT | (wronly ? O_WRONLY : O_RDWR) | O_TRUNC, 0644);
  if (fd < 0) { perror(argv[1]); return 1; }
  for (long i = 0; i < mib; i++) {
    if (write(fd, buf, sizeof buf) != sizeof buf) { perror("write"); return 1; }
  }
  if (!nosync && fsync(fd)) { perror("fsync"); return 1; }
  close(fd);
  printf("%.0f\n", mib / (now() - t0));
  unlink(argv[1]);
  return 0;
}
