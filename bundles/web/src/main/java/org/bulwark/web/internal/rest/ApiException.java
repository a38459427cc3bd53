package org.bulwark.web.internal.rest;

/** A request that cannot be served, with the status and the detail of its problem document. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public ApiException(int status, String detail) {
    super(detail);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** 400: the request itself is wrong. */
  public static ApiException badRequest(String detail) {
    return new ApiException(400, detail);
  }

  /** 404: what the request names does not exist. */
  public static ApiException notFound(String detail) {
    return new ApiException(404, detail);
  }
}
