package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.TreeCalls.AT_EMPTY_PATH;
import static org.bulwark.fuse.internal.TreeCalls.EINTR;
import static org.bulwark.fuse.internal.TreeCalls.EINVAL;
import static org.bulwark.fuse.internal.TreeCalls.EIO;
import static org.bulwark.fuse.internal.TreeCalls.ENXIO;
import static org.bulwark.fuse.internal.TreeCalls.SEEK_DATA;
import static org.bulwark.fuse.internal.TreeCalls.SEEK_HOLE;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.LocalTree.OpenFile;

/**
 * A regular file of a {@link ConfinedTree}: its descriptor, shared by concurrent calls ({@link
 * SharedFd}: a close while calls run takes effect after the last one, so none of them can reach a
 * reused descriptor number). Data moves straight between a direct buffer and the kernel; a heap
 * buffer goes through a per-thread direct buffer, {@value #CHUNK} bytes at a time.
 */
final class ConfinedFile implements OpenFile {
  private static final int CHUNK = 256 * 1024;

  /** A per-thread direct buffer and its address. */
  private record Bounce(Memory memory, ByteBuffer buffer, long address) {
    static Bounce create() {
      Memory m = new Memory(CHUNK);
      return new Bounce(m, m.getByteBuffer(0, CHUNK), Pointer.nativeValue(m));
    }
  }

  private static final ThreadLocal<Bounce> BOUNCE = ThreadLocal.withInitial(Bounce::create);

  private final SharedFd fd;
  private final String shown;

  ConfinedFile(int fd, String shown) {
    this.fd = new SharedFd(fd);
    this.shown = shown;
  }

  @Override
  public int read(long offset, ByteBuffer dst) throws IOException {
    if (dst.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    int f = fd.acquire("pread", shown);
    try {
      int pos = dst.position();
      if (dst.isDirect()) {
        int n = readFully(f, address(dst) + pos, dst.remaining(), offset);
        dst.position(pos + n);
        return n;
      }
      Bounce b = BOUNCE.get();
      int total = 0;
      while (dst.hasRemaining()) {
        int want = Math.min(CHUNK, dst.remaining());
        int n = readFully(f, b.address(), want, offset + total);
        dst.put(b.buffer().clear().limit(n));
        total += n;
        if (n < want) {
          break;
        }
      }
      return total;
    } finally {
      fd.release();
    }
  }

  @Override
  public void write(long offset, ByteBuffer src) throws IOException {
    int f = fd.acquire("pwrite", shown);
    try {
      if (src.isDirect()) {
        int pos = src.position();
        writeFully(f, address(src) + pos, src.remaining(), offset);
        src.position(src.limit());
        return;
      }
      Bounce b = BOUNCE.get();
      long at = offset;
      while (src.hasRemaining()) {
        int n = Math.min(CHUNK, src.remaining());
        ByteBuffer chunk = src.duplicate();
        chunk.limit(chunk.position() + n);
        b.buffer().clear().put(chunk);
        writeFully(f, b.address(), n, at);
        src.position(src.position() + n);
        at += n;
      }
    } finally {
      fd.release();
    }
  }

  @Override
  public void truncate(long size) throws IOException {
    call("ftruncate", f -> TreeCalls.ftruncate(f, size));
  }

  @Override
  public void fallocate(int mode, long offset, long length) throws IOException {
    call("fallocate", f -> TreeCalls.fallocate(f, mode, offset, length));
  }

  @Override
  public void setTimes(long atimeNanos, long mtimeNanos) throws IOException {
    call(
        "futimens",
        f -> {
          com.sun.jna.Memory ts = ConfinedTree.TIMES.get();
          ConfinedTree.timespec(ts, 0, atimeNanos);
          ConfinedTree.timespec(ts, 16, mtimeNanos);
          return TreeCalls.futimens(f, ts);
        });
  }

  @Override
  public long seek(long offset, int whence) throws IOException {
    if (whence != SEEK_DATA && whence != SEEK_HOLE) {
      throw TreeRoot.fail(EINVAL, "lseek", shown);
    }
    int f = fd.acquire("lseek", shown);
    try {
      // The descriptor's own position moves; nothing here reads or writes at it.
      long r = TreeCalls.lseek(f, offset, whence);
      if (r < 0) {
        int errno = -TreeCalls.lastError();
        if (errno == ENXIO) {
          return -1;
        }
        throw TreeRoot.fail(errno, "lseek", shown);
      }
      return r;
    } finally {
      fd.release();
    }
  }

  @Override
  public void sync(boolean dataOnly) throws IOException {
    if (dataOnly) {
      call("fdatasync", TreeCalls::fdatasync);
    } else {
      call("fsync", TreeCalls::fsync);
    }
  }

  @Override
  public void syncRange(long offset, long length, int flags) throws IOException {
    call("sync_file_range", f -> TreeCalls.sync_file_range(f, offset, length, flags));
  }

  @Override
  public FileStat stat() throws IOException {
    int f = fd.acquire("fstat", shown);
    try {
      FileStat st = TreeStat.stat(f, TreePath.empty(), AT_EMPTY_PATH);
      if (st == null) {
        throw TreeRoot.fail(-TreeCalls.lastError(), "fstat", shown);
      }
      return st;
    } finally {
      fd.release();
    }
  }

  @Override
  public void close() throws IOException {
    int r = fd.close();
    if (r < 0) {
      throw TreeRoot.fail(-r, "close", shown);
    }
  }

  @Override
  public String toString() {
    return "OpenFile[" + shown + (fd.isClosed() ? ", closed]" : "]");
  }

  private int readFully(int f, long address, int count, long offset) throws ErrnoException {
    int done = 0;
    while (done < count) {
      long n = TreeCalls.pread(f, address + done, count - done, offset + done);
      if (n < 0) {
        int errno = -TreeCalls.lastError();
        if (errno == EINTR) {
          continue;
        }
        throw TreeRoot.fail(errno, "pread", shown);
      }
      if (n == 0) {
        break;
      }
      done += (int) n;
    }
    return done;
  }

  /** pwrite until all is written: a regular file may take less than asked (signals, limits). */
  private void writeFully(int f, long address, int count, long offset) throws ErrnoException {
    int done = 0;
    while (done < count) {
      long n = TreeCalls.pwrite(f, address + done, count - done, offset + done);
      if (n < 0) {
        int errno = -TreeCalls.lastError();
        if (errno == EINTR) {
          continue;
        }
        throw TreeRoot.fail(errno, "pwrite", shown);
      }
      if (n == 0) {
        throw TreeRoot.fail(EIO, "pwrite", shown); // no progress: never loop forever
      }
      done += (int) n;
    }
  }

  /** A call on the descriptor that returns -1 and leaves errno on failure. */
  private interface FdCall {
    int on(int fd);
  }

  /** {@code c} on the descriptor, held for the call (closed meanwhile: EBADF, as every call). */
  private void call(String name, FdCall c) throws ErrnoException {
    int f = fd.acquire(name, shown);
    try {
      check(c.on(f), name);
    } finally {
      fd.release();
    }
  }

  private void check(int result, String call) throws ErrnoException {
    if (result < 0) {
      throw TreeRoot.fail(-TreeCalls.lastError(), call, shown);
    }
  }

  private static long address(ByteBuffer direct) {
    return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
  }
}
