package org.bulwark.fuse.internal;

import java.util.concurrent.atomic.AtomicInteger;
import org.bulwark.api.fs.ErrnoException;

/**
 * A descriptor used by concurrent calls and closed once, after the last call using it has returned.
 * Closing a number another thread is about to pass to the kernel is not harmless: the number can be
 * reused at once by an unrelated open, and a late {@code openat2(root, …)} would then resolve
 * beneath that directory, or a late {@code pwrite} land in that file. So every call takes a use,
 * and {@link #close} only marks the descriptor closed when uses are still running.
 */
final class SharedFd {
  private static final int CLOSED = 1 << 30;

  /** Running uses in the low bits, {@link #CLOSED} once closed. */
  private final AtomicInteger state = new AtomicInteger();

  private final int fd;

  SharedFd(int fd) {
    this.fd = fd;
  }

  /** The descriptor, for one use that must end with {@link #release}; EBADF once closed. */
  int acquire(String call, String what) throws ErrnoException {
    for (; ; ) {
      int s = state.get();
      if ((s & CLOSED) != 0) {
        throw new ErrnoException(TreeCalls.EBADF, call + " " + what + ": closed");
      }
      if (state.compareAndSet(s, s + 1)) {
        return fd;
      }
    }
  }

  void release() {
    if (state.decrementAndGet() == CLOSED) {
      TreeCalls.close(fd); // the last use after close(): nobody reports to
    }
  }

  /**
   * Closes now when unused (returns {@code close}'s result, or -errno), else after the last use
   * (returns 0). Idempotent.
   */
  int close() {
    for (; ; ) {
      int s = state.get();
      if ((s & CLOSED) != 0) {
        return 0;
      }
      if (state.compareAndSet(s, s | CLOSED)) {
        if (s != 0) {
          return 0;
        }
        return TreeCalls.close(fd) == 0 ? 0 : TreeCalls.lastError();
      }
    }
  }

  boolean isClosed() {
    return (state.get() & CLOSED) != 0;
  }
}
