package org.bulwark.fuse.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import org.bulwark.api.fs.Caller;
import org.bulwark.api.fs.Errno;
import org.bulwark.api.fs.FileInterceptor;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.FileOperationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interception point (issue 6 §3): read-only mode and the {@link FileInterceptor}. Each
 * mutating callback asks {@link #refuse()} first, builds its {@link FileOperation} only when {@link
 * #intercepting()}, and brackets the local call with {@link #before} and {@link #after} ({@link
 * #call}).
 */
final class Guard {
  private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

  /** The local call of one operation, failing with errno. */
  interface Local {
    void run() throws LastErrorException;
  }

  private final boolean readOnly;
  private final FileInterceptor sink;

  Guard(boolean readOnly, FileInterceptor sink) {
    this.readOnly = readOnly;
    this.sink = sink;
  }

  /** {@code -EROFS} in read-only mode, else 0. */
  int refuse() {
    return readOnly ? -Errno.EROFS : 0;
  }

  boolean intercepting() {
    return sink != null;
  }

  /** 0 to go on, or the negated errno the interceptor chose. */
  int before(FileOperation op) {
    if (op == null) {
      return 0;
    }
    try {
      sink.before(op);
      return 0;
    } catch (FileOperationException e) {
      return -e.errno();
    } catch (RuntimeException | Error e) {
      LOG.error("File interceptor failed on {}: EIO returned to the application", op, e);
      return -Errno.EIO;
    }
  }

  /**
   * Reports the local outcome ({@code errno}, 0 on success) and returns what the application gets:
   * {@code success} when everything went well, else a negated errno.
   */
  int after(FileOperation op, int errno, int success) {
    int result = errno == 0 ? success : -errno;
    if (op == null) {
      return result;
    }
    try {
      sink.after(op, errno);
      return result;
    } catch (FileOperationException e) {
      return -e.errno();
    } catch (RuntimeException | Error e) {
      LOG.error("File interceptor failed after {}: EIO returned to the application", op, e);
      return -Errno.EIO;
    }
  }

  /**
   * {@code local} bracketed by {@link #before} and {@link #after} for {@code op} (null when not
   * intercepting): 0 when all went well, else a negated errno. Failures other than the local call's
   * errno are the callback's to turn into one.
   */
  int call(FileOperation op, Local local) {
    int rc = before(op);
    if (rc != 0) {
      return rc;
    }
    int err = 0;
    try {
      local.run();
    } catch (LastErrorException e) {
      err = e.getErrorCode();
    }
    return after(op, err, 0);
  }

  /** The caller of the request being served. */
  static Caller caller() {
    Pointer ctx = LibFuse.fuse_get_context();
    return new Caller(
        ctx.getInt(FuseStructs.CTX_PID),
        ctx.getInt(FuseStructs.CTX_UID),
        ctx.getInt(FuseStructs.CTX_GID));
  }

  /** A path from the kernel as a Java string ({@code null} stays null: an unlinked open file). */
  static String text(Pointer path) {
    return path == null ? null : path.getString(0, StandardCharsets.UTF_8.name());
  }
}
