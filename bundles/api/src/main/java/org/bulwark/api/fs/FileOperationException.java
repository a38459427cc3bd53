package org.bulwark.api.fs;

/**
 * Thrown by a {@link FileInterceptor} to fail an operation: the application's system call returns
 * -1 with {@code errno} (for instance {@link Errno#EIO} when the secondary cannot be reached and
 * the policy is to refuse writes, or {@link Errno#EROFS}).
 */
public class FileOperationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int errno;

  public FileOperationException(int errno, String message) {
    super(message);
    if (errno <= 0) {
      throw new IllegalArgumentException("errno must be positive: " + errno);
    }
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
