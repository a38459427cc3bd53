package org.bulwark.web.internal.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import javax.ws.rs.NotFoundException;
import javax.ws.rs.core.Response;
import org.apache.cxf.common.util.UrlUtils;
import org.junit.Test;

public class ProblemMapperTest {
  private final ProblemMapper mapper = new ProblemMapper();

  private static Problem problem(Response r) {
    assertEquals(Problem.MEDIA_TYPE, r.getMediaType().toString());
    return (Problem) r.getEntity();
  }

  @Test
  public void aMalformedUrlEncodingIsBadInputNotABug() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> UrlUtils.urlDecode("x=%"));
    Response r = mapper.toResponse(e);
    assertEquals(400, r.getStatus());
    assertTrue(problem(r).detail(), problem(r).detail().contains("percent-encoding"));
  }

  @Test
  public void ourOwnIllegalArgumentIsStillAnInternalError() {
    Response r = mapper.toResponse(new IllegalArgumentException("a bug of ours"));
    assertEquals(500, r.getStatus());
    assertTrue(problem(r).detail(), !problem(r).detail().contains("a bug of ours"));
  }

  @Test
  public void apiAndJaxRsRefusalsKeepTheirStatus() {
    assertEquals(409, mapper.toResponse(new ApiException(409, "refused")).getStatus());
    assertEquals("refused", problem(mapper.toResponse(new ApiException(409, "refused"))).detail());
    assertEquals(404, mapper.toResponse(new NotFoundException()).getStatus());
  }
}
