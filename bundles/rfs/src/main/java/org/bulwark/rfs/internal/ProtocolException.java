package org.bulwark.rfs.internal;

/** A message that breaks the replication protocol: malformed, out of order, or out of bounds. */
final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  ProtocolException(String message) {
    super(message);
  }
}
