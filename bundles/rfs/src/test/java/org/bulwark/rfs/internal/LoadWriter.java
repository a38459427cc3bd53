package org.bulwark.rfs.internal;

import static org.bulwark.rfs.internal.Posix.C;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An application writing through a primary's mount as fast as it can, on its own thread: rewrites,
 * appends, truncations, new files, renames (over existing files, of whole directories), deletions,
 * links, attributes in a tree of {@link #DIRS} × {@link #FILES} names, and changes of type in a
 * subtree of its own ({@link FsOps}), as chosen ({@link Call}). Outcomes do not matter (a name may
 * be gone): only that both nodes agree in the end. Deterministic for a seed only in what it tries,
 * not in how it interleaves.
 */
final class LoadWriter implements AutoCloseable {
  static final int DIRS = 15;
  static final int FILES = 40;
  private static final Set<FsOps.Kind> KINDS =
      EnumSet.complementOf(EnumSet.of(FsOps.Kind.UNLINK_OPEN));

  /** What the writer does, each with its weight. */
  enum Call {
    WRITE(3),
    APPEND(1),
    CREATE(1),
    TRUNCATE(1),
    RENAME(1),
    UNLINK(1),
    LINK(1),
    RENAME_DIR(1),
    MKDIR(1),
    CHMOD(1),
    SETXATTR(1),
    /** A file replaced by a symbolic link (and, renamed over, back). */
    SYMLINK(1),
    /** {@link FsOps} in {@code mix}: names change type (file, directory, link, fifo). */
    FSOPS(7);

    final int weight;

    Call(int weight) {
      this.weight = weight;
    }
  }

  /** One call of an application of the test's own, with the writer's random source. */
  interface Action {
    void call(Random random) throws IOException;
  }

  private final Path root;
  private final Random random;
  private final List<Call> draw = new ArrayList<>();
  private final Action action;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile Throwable failure;

  // guarded by this
  private long calls;

  LoadWriter(Path root, long seed, Set<Call> what) throws IOException {
    this.root = root;
    this.random = new Random(seed);
    for (Call c : what) {
      for (int i = 0; i < c.weight; i++) {
        draw.add(c);
      }
    }
    if (what.contains(Call.FSOPS)) {
      Files.createDirectories(root.resolve("mix"));
      FsOps.clean(root.resolve("mix"));
    }
    this.action = r -> call(draw.get(r.nextInt(draw.size())));
    this.thread = new Thread(this::run, "load-writer");
  }

  /** A writer making {@code action}'s calls as fast as it can, on a thread named {@code name}. */
  LoadWriter(String name, long seed, Action action) {
    this.root = null;
    this.random = new Random(seed);
    this.action = action;
    this.thread = new Thread(this::run, name);
  }

  static String dir(int d) {
    return String.format("data/d%02d", d);
  }

  static String file(int d, int f) {
    return String.format("data/d%02d/f%03d", d, f);
  }

  LoadWriter start() {
    thread.start();
    return this;
  }

  synchronized long calls() {
    return calls;
  }

  /** Waits (with a deadline) until {@code more} calls were made after {@code from}. */
  synchronized void awaitCalls(long from, long more, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (calls < from + more) {
      if (failure != null) {
        throw new AssertionError("the writer failed", failure);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("the writer made " + (calls - from) + " calls, not " + more);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Stops the writer and waits for its last call; fails if it failed. */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.join(TimeUnit.SECONDS.toMillis(30));
    if (thread.isAlive()) {
      throw new AssertionError("the writer is stuck in a call: " + stack());
    }
    if (failure != null) {
      throw new AssertionError("the writer failed", failure);
    }
  }

  private String stack() {
    StringBuilder b = new StringBuilder();
    for (StackTraceElement e : thread.getStackTrace()) {
      b.append("\n  at ").append(e);
    }
    return b.toString();
  }

  private void run() {
    try {
      while (!stopping) {
        action.call(random);
        synchronized (this) {
          calls++;
          notifyAll();
        }
      }
    } catch (Throwable t) {
      failure = t;
      synchronized (this) {
        notifyAll();
      }
    }
  }

  private String some() {
    return root.resolve(file(random.nextInt(DIRS), random.nextInt(FILES))).toString();
  }

  private String someDir() {
    return root.resolve(dir(random.nextInt(DIRS + 3))).toString();
  }

  private void call(Call c) {
    Random r = random;
    String p = some();
    switch (c) {
      case WRITE -> write(p, 0, r.nextInt(256 << 10));
      case APPEND -> write(p, Posix.O_APPEND, 0);
      case CREATE -> write(p, Posix.O_CREAT, r.nextInt(64 << 10));
      case TRUNCATE -> withFd(p, Posix.O_WRONLY, fd -> C.ftruncate(fd, r.nextInt(96 << 10)));
      case RENAME -> C.renameat2(Posix.AT_FDCWD, p, Posix.AT_FDCWD, some(), 0);
      case UNLINK -> C.unlink(p);
      case LINK -> C.link(p, some());
      case RENAME_DIR ->
          C.renameat2(
              Posix.AT_FDCWD,
              someDir(),
              Posix.AT_FDCWD,
              someDir(),
              r.nextInt(3) == 0 ? Posix.RENAME_EXCHANGE : 0);
      case MKDIR -> C.mkdir(someDir(), 0755);
      case CHMOD -> C.chmod(p, r.nextBoolean() ? 0640 : 0755);
      case SETXATTR -> {
        byte[] v = Long.toString(r.nextLong()).getBytes(StandardCharsets.UTF_8);
        C.lsetxattr(p, "user.load", v, v.length, 0);
      }
      case SYMLINK -> C.symlink("../d00/f000", p);
      case FSOPS -> FsOps.apply(root.resolve("mix").toString(), FsOps.next(r, KINDS));
    }
  }

  private void write(String path, int flags, long offset) {
    byte[] data = new byte[1 + random.nextInt(random.nextInt(8) == 0 ? 200_000 : 8_000)];
    random.nextBytes(data);
    withFd(
        path,
        Posix.O_WRONLY | flags,
        fd ->
            (int)
                ((flags & Posix.O_APPEND) != 0
                    ? C.write(fd, data, data.length)
                    : C.pwrite(fd, data, data.length, offset)));
  }

  private interface FdCall {
    int run(int fd);
  }

  private static void withFd(String path, int flags, FdCall call) {
    int fd = C.open(path, flags | Posix.O_NOFOLLOW | Posix.O_NONBLOCK | Posix.O_CLOEXEC, 0644);
    if (fd >= 0) {
      try {
        call.run(fd);
      } finally {
        C.close(fd);
      }
    }
  }
}
