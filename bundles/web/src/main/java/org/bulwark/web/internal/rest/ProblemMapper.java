package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import javax.ws.rs.ext.Provider;
import org.apache.cxf.common.util.UrlUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure of a request becomes a problem document: the API's own refusals with their status,
 * JAX-RS's (unknown path 404, wrong method 405, wrong media type 415 …) with theirs, unreadable
 * JSON and malformed URL encoding 400. Anything else is a bug of ours: 500, logged with its stack
 * trace, never shown.
 */
@Provider
public final class ProblemMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

  @Override
  public Response toResponse(Throwable e) {
    if (e instanceof ApiException api) {
      return Problem.of(api.status(), api.getMessage()).response();
    }
    if (e instanceof JsonProcessingException json) {
      return Problem.of(400, "the request body is not valid JSON: " + json.getOriginalMessage())
          .response();
    }
    if (e instanceof IllegalArgumentException && thrownBy(e, UrlUtils.class)) {
      return Problem.of(400, "the URL has a malformed percent-encoding: " + e.getMessage())
          .response();
    }
    if (e instanceof WebApplicationException web) {
      int status = web.getResponse().getStatus();
      if (status < 500) {
        return Problem.of(status, clientDetail(status)).response();
      }
    }
    LOG.error("REST request failed", e);
    return Problem.of(500, "internal error; the node's log has the details").response();
  }

  /** Whether {@code e} was thrown by {@code type} itself (CXF's own refusals of bad input). */
  private static boolean thrownBy(Throwable e, Class<?> type) {
    StackTraceElement[] stack = e.getStackTrace();
    return stack.length > 0 && stack[0].getClassName().equals(type.getName());
  }

  private static String clientDetail(int status) {
    return switch (status) {
      case 404 -> "no such resource: see docs/api.md for the endpoints";
      case 405 -> "this resource does not support this method";
      case 406 -> "this resource answers application/json only";
      case 415 -> "this resource does not accept this content type";
      default -> "the request is not valid";
    };
  }
}
