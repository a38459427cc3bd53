package org.bulwark.api.fs;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The interception point of a mount (spec B.7, C.4): sees every mutating operation with its
 * arguments and data before the application's system call returns.
 *
 * <p>Order for one operation: {@link #before} (may block, e.g. while the write is sent to the
 * secondary, or throw to fail the call without touching the local file), then the local operation
 * on the real file underneath, then {@link #after} with its outcome (0 or the errno), then the
 * reply to the application. Real-time replication sends in {@code before} and waits for the
 * acknowledgement in {@code after}, or marks dirty zones in {@code after} when the secondary is
 * away.
 *
 * <p>Called concurrently from the driver's worker threads: operations on different files, and
 * writes at different offsets of one file, may arrive in parallel. Both methods run on the path of
 * the application's call, so they must not touch the mounted directory itself (that would
 * deadlock); the real files are reachable through the driver only.
 */
@ConsumerType
public interface FileInterceptor {

  /**
   * Called before the local operation. Throwing fails the application's call with the exception's
   * errno; the local file is left untouched and {@link #after} is not called.
   *
   * <p>The data of a {@link FileOperation.Write} is a read-only view of the request buffer, valid
   * only until {@link #after} returns: copy it to keep it.
   */
  void before(FileOperation operation) throws FileOperationException;

  /**
   * Called after the local operation with {@code errno} 0 on success or the error the local file
   * system returned (which the application will see, unless this method throws, in which case the
   * application sees the exception's errno instead).
   */
  default void after(FileOperation operation, int errno) throws FileOperationException {}
}
