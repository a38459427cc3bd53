package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/**
 * An error as an RFC 9457 problem document: {@code type} is left to its default ({@code
 * about:blank}, the status says it all), {@code title} is the status's phrase and {@code detail}
 * says what is wrong in this request and, when it can, what to do.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

  /** The media type of problem documents. */
  public static final String MEDIA_TYPE = "application/problem+json";

  static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

  /** A problem document for {@code status}. */
  public static Problem of(int status, String detail) {
    Response.StatusType known = Response.Status.fromStatusCode(status);
    String title = known != null ? known.getReasonPhrase() : titleOf(status);
    return new Problem(null, title, status, detail, null);
  }

  private static String titleOf(int status) {
    return switch (status) {
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      default -> "HTTP " + status;
    };
  }

  /** The response carrying this problem. */
  public Response response() {
    return Response.status(status).type(PROBLEM_JSON).entity(this).build();
  }
}
