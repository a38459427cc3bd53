/* Drops the page cache of every regular file under the given paths (posix_fadvise DONTNEED), so
 * that a copy reads them from the disk, as a full synchronisation after a restart does, without
 * dropping every cache of a shared machine (echo 3 > drop_caches). Run `sync` first: only clean
 * pages are dropped.
 * usage: evict PATH...  ->  "EVICTED files" */
#define _GNU_SOURCE
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <unistd.h>

static long files;

static int drop(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (type != FTW_F) {
    return 0;
  }
  int fd = open(path, O_RDONLY | O_NOFOLLOW);
  if (fd >= 0) {
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
    files++;
  }
  return 0;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (nftw(argv[i], drop, 64, FTW_PHYS) != 0) {
      perror(argv[i]);
      return 1;
    }
  }
  printf("EVICTED %ld\n", files);
  return 0;
}
