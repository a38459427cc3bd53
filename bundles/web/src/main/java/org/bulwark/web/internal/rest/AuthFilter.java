package org.bulwark.web.internal.rest;

import java.io.IOException;
import java.lang.reflect.Method;
import java.security.Principal;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.ext.Provider;
import org.apache.cxf.jaxrs.utils.JAXRSUtils;
import org.apache.cxf.message.Message;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.bulwark.web.internal.auth.Authenticator;
import org.bulwark.web.internal.auth.Caller;
import org.bulwark.web.internal.auth.Delegation;
import org.bulwark.web.internal.auth.Role;
import org.bulwark.web.internal.auth.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the roles of spec G.2 on every resource method: the {@link Allow} role, {@link
 * Anonymous}, or nobody. The caller becomes the request's {@link SecurityContext} principal, a
 * {@link Caller}, from which resources take the origin of the commands they run.
 */
@Provider
public final class AuthFilter implements ContainerRequestFilter {
  private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);

  /** The challenge of a 401: both ways of authenticating. */
  static final String CHALLENGE = "Basic realm=\"bulwark\", Bearer realm=\"bulwark\"";

  /**
   * The challenge to the console's own requests ({@code X-Requested-With: XMLHttpRequest}, or an
   * event stream): a browser answers a Basic challenge by holding the request and asking for a
   * password in a dialog of its own, where the console shows its login form instead.
   */
  static final String SCRIPT_CHALLENGE = "Bearer realm=\"bulwark\"";

  /** What reads this node's distributed-command user, the only one that may relay (see below). */
  interface RelayUser {
    String get() throws IOException;
  }

  private final Authenticator authenticator;
  private final RelayUser relayUser;

  @Context private ResourceInfo resource;

  /**
   * @param authenticator who the request's credentials are
   * @param relayUser the user that another node presents when it relays a user's request ({@link
   *     Delegation})
   */
  AuthFilter(Authenticator authenticator, RelayUser relayUser) {
    this.authenticator = authenticator;
    this.relayUser = relayUser;
  }

  /** Whether a page's script asked, rather than a person's browser or a tool (see above). */
  static boolean fromScript(ContainerRequestContext request) {
    String accept = request.getHeaderString(HttpHeaders.ACCEPT);
    return "XMLHttpRequest".equalsIgnoreCase(request.getHeaderString("X-Requested-With"))
        || (accept != null && accept.startsWith(EventsResource.EVENT_STREAM));
  }

  @Override
  public void filter(ContainerRequestContext request) {
    Method method = resource.getResourceMethod();
    if (method == null || method.isAnnotationPresent(Anonymous.class)) {
      return;
    }
    Allow allow = method.getAnnotation(Allow.class);
    if (allow == null) {
      LOG.error("{} has no @Allow: refused to everybody", method);
      request.abortWith(Problem.of(403, "this resource is not open to any role").response());
      return;
    }
    Authenticator.Outcome outcome;
    try {
      outcome =
          authenticator.authenticate(
              request.getHeaderString(HttpHeaders.AUTHORIZATION),
              session(request),
              clientAddress());
    } catch (IOException e) {
      LOG.error("Cannot read the users or API keys", e);
      request.abortWith(
          Problem.of(503, "the users file cannot be read: " + e.getMessage()).response());
      return;
    }
    if (outcome instanceof Authenticator.Refused refused) {
      Response.ResponseBuilder r =
          Response.fromResponse(Problem.of(refused.status(), refused.detail()).response());
      if (refused.status() == 401) {
        r.header(HttpHeaders.WWW_AUTHENTICATE, fromScript(request) ? SCRIPT_CHALLENGE : CHALLENGE);
      }
      if (refused.retryAfter() != null) {
        r.header(HttpHeaders.RETRY_AFTER, Math.max(1, refused.retryAfter().toSeconds()));
      }
      request.abortWith(r.build());
      return;
    }
    Caller caller;
    try {
      caller = onBehalf(request, ((Authenticator.Allowed) outcome).caller());
    } catch (IOException e) {
      LOG.error("Cannot read the distributed-command user", e);
      request.abortWith(Problem.of(503, "rcmd.conf cannot be read: " + e.getMessage()).response());
      return;
    } catch (ApiException e) {
      request.abortWith(Problem.of(e.status(), e.getMessage()).response());
      return;
    }
    if (!caller.role().grants(allow.value())) {
      request.abortWith(
          Problem.of(
                  403,
                  caller.name()
                      + " has the role "
                      + caller.role()
                      + "; this needs "
                      + allow.value()
                      + " or more")
              .response());
      return;
    }
    boolean secure = request.getSecurityContext().isSecure();
    request.setSecurityContext(new CallerContext(caller, secure));
  }

  /**
   * The user another node relays the request for, with the role this node grants ({@link
   * Delegation}), else the authenticated caller itself.
   */
  private Caller onBehalf(ContainerRequestContext request, Caller authenticated)
      throws IOException {
    String user = request.getHeaderString(Delegation.USER);
    String role = request.getHeaderString(Delegation.ROLE);
    String address = request.getHeaderString(Delegation.ADDRESS);
    if (user == null && role == null && address == null) {
      return authenticated;
    }
    Authenticator.Outcome outcome =
        Delegation.apply(authenticated, relayUser.get(), user, role, address);
    if (outcome instanceof Authenticator.Refused refused) {
      LOG.warn("Relayed request refused from {}: {}", authenticated.origin(), refused.detail());
      throw new ApiException(refused.status(), refused.detail());
    }
    Caller caller = ((Authenticator.Allowed) outcome).caller();
    LOG.debug(
        "{} {} for {} ({}) relayed by {}",
        request.getMethod(),
        request.getUriInfo().getPath(),
        caller.origin(),
        caller.role(),
        authenticated.address());
    return caller;
  }

  private static String session(ContainerRequestContext request) {
    Cookie cookie = request.getCookies().get(Sessions.COOKIE);
    return cookie == null ? null : cookie.getValue();
  }

  /** The client's address, or {@code local} for an in-process call (tests). */
  static String clientAddress() {
    Message message = JAXRSUtils.getCurrentMessage();
    Object http = message == null ? null : message.get(AbstractHTTPDestination.HTTP_REQUEST);
    return http instanceof HttpServletRequest servlet ? servlet.getRemoteAddr() : "local";
  }

  private record CallerContext(Caller caller, boolean secure) implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
      return Role.parse(role).map(r -> caller.role().grants(r)).orElse(false);
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return SecurityContext.BASIC_AUTH;
    }
  }
}
