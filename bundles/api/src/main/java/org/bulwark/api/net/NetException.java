package org.bulwark.api.net;

import java.io.IOException;

/**
 * A network driver refused a request or the kernel failed it. The message names the interface,
 * address or module concerned; {@link #errno()} is the kernel's error when there is one, else 0.
 */
public class NetException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int errno;

  public NetException(String message) {
    this(0, message);
  }

  public NetException(int errno, String message) {
    super(message);
    this.errno = errno;
  }

  public NetException(String message, Throwable cause) {
    super(message, cause);
    this.errno = 0;
  }

  /** The kernel's errno, or 0 when the driver refused the request itself. */
  public int errno() {
    return errno;
  }
}
