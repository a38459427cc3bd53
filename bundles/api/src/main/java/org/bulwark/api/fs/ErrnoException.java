package org.bulwark.api.fs;

import java.io.IOException;

/** A system call of a {@link LocalTree} failed with {@code errno}; the message names the call. */
public class ErrnoException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int errno;

  public ErrnoException(int errno, String message) {
    super(message);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
