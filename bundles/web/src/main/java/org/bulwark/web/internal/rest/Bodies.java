package org.bulwark.web.internal.rest;

import java.io.IOException;
import java.io.InputStream;

/** Request bodies read with a bound: a client cannot make the node hold an unbounded body. */
final class Bodies {
  /** What the API accepts at most in one body; a cluster.xml is a few kilobytes. */
  static final int MAX = 1 << 20;

  private Bodies() {}

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
