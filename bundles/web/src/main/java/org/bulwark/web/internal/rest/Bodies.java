package org.bulwark.web.internal.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Request bodies read with a bound: a client cannot make the node hold an unbounded body. */
final class Bodies {
  /** What the API accepts at most in one body held in memory; a cluster.xml is a few kilobytes. */
  static final int MAX = 1 << 20;

  /** What the API accepts at most in a {@code .safe} upload, streamed to a file. */
  static final long MAX_PACKAGE = 64L << 20;

  private Bodies() {}

  /**
   * Copies the body to {@code file} and returns its size, or a 413 problem when it passes {@link
   * #MAX_PACKAGE} bytes.
   */
  static long copy(InputStream in, Path file) throws IOException {
    long size = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      if (in == null) {
        return 0;
      }
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        size += n;
        if (size > MAX_PACKAGE) {
          throw new ApiException(413, "a package of more than 64 MiB is refused");
        }
        out.write(buffer, 0, n);
      }
    }
    return size;
  }

  /** The body, or a 413 problem when it passes {@link #MAX} bytes. */
  static byte[] read(InputStream in) {
    if (in == null) {
      return new byte[0];
    }
    try {
      byte[] body = in.readNBytes(MAX + 1);
      if (body.length > MAX) {
        throw new ApiException(413, "a request body of more than 1 MiB is refused");
      }
      return body;
    } catch (IOException e) {
      throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
    }
  }
}
