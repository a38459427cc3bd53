package org.bulwark.web.internal.rest;

import java.io.IOException;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.FormParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.bulwark.web.internal.auth.Authenticator;
import org.bulwark.web.internal.auth.Caller;
import org.bulwark.web.internal.auth.Sessions;

/**
 * Console login and logout (spec G.2): the form fields of SafeKit's login page, a {@code sessionSK}
 * cookie that the API accepts until the session is idle for 8 hours. The cookie is {@code HttpOnly}
 * and {@code SameSite=Strict}, so that another site cannot act with it.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class SessionResource {
  private final Authenticator authenticator;

  SessionResource(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** Who logged in, and with which role. */
  public record Login(String user, String role) {}

  /** {@code POST /login} with {@code httpd_username} and {@code httpd_password}. */
  @POST
  @Path("login")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @ApiDoc(
      value = "Opens a console session: sets the sessionSK cookie (8 hours idle at most)",
      params = {"httpd_username: the user", "httpd_password: the password"},
      errors = {401, 429, 503},
      returns = SessionResource.Login.class)
  @Anonymous
  public Response login(
      @FormParam("httpd_username") String user,
      @FormParam("httpd_password") String password,
      @Context UriInfo uri)
      throws IOException {
    Authenticator.Outcome outcome = authenticator.login(user, password, AuthFilter.clientAddress());
    if (outcome instanceof Authenticator.Refused refused) {
      throw new ApiException(refused.status(), refused.detail());
    }
    Caller caller = ((Authenticator.Allowed) outcome).caller();
    String token = authenticator.sessions().open(caller.name(), caller.role());
    boolean secure = "https".equals(uri.getBaseUri().getScheme());
    return Response.ok(new Login(caller.name(), caller.role().label()))
        .header("Set-Cookie", cookie(token, secure, Sessions.IDLE.toSeconds()))
        .build();
  }

  /** {@code POST /logout}: ends the session of the cookie, if any. */
  @POST
  @Path("logout")
  @ApiDoc(value = "Ends the session of the cookie", status = 204)
  @Anonymous
  public Response logout(@CookieParam(Sessions.COOKIE) String session, @Context UriInfo uri) {
    authenticator.sessions().close(session);
    boolean secure = "https".equals(uri.getBaseUri().getScheme());
    return Response.noContent().header("Set-Cookie", cookie("", secure, 0)).build();
  }

  private static String cookie(String token, boolean secure, long maxAge) {
    return Sessions.COOKIE
        + "="
        + token
        + "; Path=/; Max-Age="
        + maxAge
        + "; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }
}
