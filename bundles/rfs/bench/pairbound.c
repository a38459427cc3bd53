/* The floor of a replicated sequential write on this machine, without FUSE and without the JVM:
 * two processes (a primary and a secondary, as two nodes on one machine), loopback TCP between
 * them. The primary takes requests of REQ KiB (FUSE's 128 KiB), writes each to its own file and
 * sends it with a 16-byte header; the secondary acknowledges each on receipt (async="second") and
 * writes it to its file; at most WINDOW requests wait for their acknowledgement (the FUSE threads
 * serving one 1 MiB write: 8). At the end a barrier: the primary sends it and syncs its file, the
 * secondary syncs its own and answers. Figures in docs/benchmarks.md ("How fast could a pair
 * be").
 *
 * usage: pairbound MODE ADDR PORT PRIMARY_FILE SECONDARY_FILE [MIB (1024)] [REQ_KIB (128)]
 *                  [WINDOW (8)]
 *   raw     the writer alone: write() of 1 MiB blocks and fsync (dd bs=1M conv=fsync)
 *   copy    as the replicated path copies: each request copied once more (the driver's read of
 *           /dev/fuse), pwrite() from that buffer, send() of it; the secondary recv()s it into a
 *           buffer and pwrite()s it: six copies per byte with the writer's own
 *   splice  zero-copy where Linux offers it: each request written into a pipe (what FUSE's
 *           splice read does for direct I/O), tee()d to a second pipe, splice()d from one to the
 *           file and from the other to the socket; the secondary splice()s from the socket to a
 *           pipe and from the pipe to its file
 * prints: MODE MiB/s (the primary's time from the first byte to the barrier's answer)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PIPE_BYTES (1 << 20)

static void die(const char *what) {
  perror(what);
  exit(1);
}

struct hdr {
  uint64_t offset;
  uint64_t length; /* 0: the barrier */
};

static void full_send(int fd, const void *buf, size_t n, int flags) {
  const char *p = buf;
  while (n > 0) {
    ssize_t k = send(fd, p, n, flags);
    if (k < 0) {
      if (errno == EINTR) continue;
      die("send");
    }
    p += k;
    n -= (size_t)k;
  }
}

static void full_recv(int fd, void *buf, size_t n) {
  char *p = buf;
  while (n > 0) {
    ssize_t k = recv(fd, p, n, MSG_WAITALL);
    if (k <= 0) {
      if (k < 0 && errno == EINTR) continue;
      die("recv");
    }
    p += k;
    n -= (size_t)k;
  }
}

static void full_pwrite(int fd, const char *buf, size_t n, off_t off) {
  while (n > 0) {
    ssize_t k = pwrite(fd, buf, n, off);
    if (k < 0) die("pwrite");
    buf += k;
    n -= (size_t)k;
    off += k;
  }
}

/* Moves n bytes from in to out by splice (file offset *off when out is a file). */
static void full_splice(int in, int out, size_t n, loff_t *off, unsigned flags) {
  while (n > 0) {
    ssize_t k = splice(in, NULL, out, off, n, SPLICE_F_MOVE | flags);
    if (k <= 0) {
      if (k < 0 && errno == EINTR) continue;
      die("splice");
    }
    n -= (size_t)k;
  }
}

static void make_pipe(int p[2]) {
  if (pipe(p) < 0) die("pipe");
  if (fcntl(p[1], F_SETPIPE_SZ, PIPE_BYTES) < 0) die("F_SETPIPE_SZ");
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void secondary(int s, const char *path, int splicing, size_t req) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die(path);
  char *buf = aligned_alloc(4096, req);
  int p[2];
  make_pipe(p);
  uint64_t ack = 0;
  for (;;) {
    struct hdr h;
    full_recv(s, &h, sizeof h);
    if (h.length == 0) {
      if (fsync(fd) < 0) die("fsync");
      full_send(s, &ack, sizeof ack, 0);
      break;
    }
    if (splicing) {
      full_splice(s, p[1], h.length, NULL, 0);
      full_send(s, &ack, sizeof ack, 0); /* on receipt */
      loff_t off = (loff_t)h.offset;
      full_splice(p[0], fd, h.length, &off, 0);
    } else {
      full_recv(s, buf, h.length);
      full_send(s, &ack, sizeof ack, 0);
      full_pwrite(fd, buf, h.length, (off_t)h.offset);
    }
    ack++;
  }
  close(fd);
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr,
            "usage: pairbound raw|copy|splice ADDR PORT PRIMARY_FILE SECONDARY_FILE [MIB] [REQ_KIB] "
            "[WINDOW]\n");
    return 2;
  }
  const char *mode = argv[1];
  int splicing = strcmp(mode, "splice") == 0;
  size_t total = (size_t)(argc > 6 ? atol(argv[6]) : 1024) << 20;
  size_t req = (size_t)(argc > 7 ? atol(argv[7]) : 128) << 10;
  long window = argc > 8 ? atol(argv[8]) : 8;
  char *data = aligned_alloc(4096, 1 << 20);
  for (int i = 0; i < 1 << 20; i++) data[i] = (char)(i * 31 + 7);

  if (strcmp(mode, "raw") == 0) {
    int fd = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die(argv[4]);
    double t0 = now();
    for (size_t done = 0; done < total; done += 1 << 20) full_pwrite(fd, data, 1 << 20, (off_t)done);
    if (fsync(fd) < 0) die("fsync");
    printf("raw %.1f\n", total / (now() - t0) / (1 << 20));
    return 0;
  }
  if (!splicing && strcmp(mode, "copy") != 0) {
    fprintf(stderr, "pairbound: mode %s: raw, copy or splice\n", mode);
    return 2;
  }

  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[3]))};
  if (inet_pton(AF_INET, argv[2], &a.sin_addr) != 1) {
    fprintf(stderr, "pairbound: address %s\n", argv[2]);
    return 2;
  }
  int l = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 1) < 0) die("bind");
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    int s = accept(l, NULL, NULL);
    if (s < 0) die("accept");
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    secondary(s, argv[5], splicing, req);
    _exit(0);
  }
  close(l);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int fd = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die(argv[4]);
  char *buf = aligned_alloc(4096, req);
  int p1[2], p2[2];
  make_pipe(p1);
  make_pipe(p2);

  double t0 = now();
  long inflight = 0;
  uint64_t ack;
  for (size_t done = 0; done < total; done += req) {
    const char *src = data + (done % (1 << 20));
    struct hdr h = {done, req};
    if (splicing) {
      if (write(p1[1], src, req) != (ssize_t)req) die("write pipe");
      if (tee(p1[0], p2[1], req, 0) != (ssize_t)req) die("tee");
      full_send(s, &h, sizeof h, MSG_MORE);
      full_splice(p2[0], s, req, NULL, 0);
      loff_t off = (loff_t)done;
      full_splice(p1[0], fd, req, &off, 0);
    } else {
      memcpy(buf, src, req);
      full_send(s, &h, sizeof h, MSG_MORE);
      full_send(s, buf, req, 0);
      full_pwrite(fd, buf, req, (off_t)done);
    }
    if (++inflight >= window) {
      full_recv(s, &ack, sizeof ack);
      inflight--;
    }
  }
  struct hdr bar = {0, 0};
  full_send(s, &bar, sizeof bar, 0);
  if (fsync(fd) < 0) die("fsync");
  for (; inflight >= 0; inflight--) full_recv(s, &ack, sizeof ack); /* the rest, then the barrier */
  printf("%s %.1f\n", mode, total / (now() - t0) / (1 << 20));
  int status;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
