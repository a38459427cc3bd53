package org.bulwark.api.store;

/** The journal could not be read or written (disk full, database closed …). */
public class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
