package org.bulwark.web.internal.auth;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request that another node relays on behalf of one of its users (spec G.4: the connection node
 * proxies the console's calls to the others, {@code /nodes/<node>/…}). The relaying node has
 * authenticated the user (its console session, Basic or an API key); it presents itself as the
 * distributed-command user ({@code rcmdadmin}, spec F.7) and names the user, the user's role and
 * the user's address in three headers. This node then acts as that user, with the lesser of the
 * named role and the relaying user's own: never more than the user had. The headers are honoured
 * from the distributed-command user only; from anybody else they are refused (403), so that a user
 * cannot name a role of their choice.
 *
 * <p>A pure function of the authenticated caller and the headers, so that its table is tested
 * without a server.
 */
public final class Delegation {
  /** The user on whose behalf the request is made. */
  public static final String USER = "X-Bulwark-User";

  /** That user's role on the relaying node ({@code Admin}, {@code Control}, {@code Monitor}). */
  public static final String ROLE = "X-Bulwark-Role";

  /** The user's own address, for the commands log ({@code admin@10.0.0.5}). */
  public static final String ADDRESS = "X-Bulwark-Address";

  /** User names of {@code user.conf} and API key names ({@code apikey:deploy}). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@:+-]{1,128}");

  /** An IPv4 or IPv6 address, or {@code local}: nothing that could forge a commands-log line. */
  private static final Pattern ADDRESS_VALUE = Pattern.compile("[0-9A-Fa-f.:%\\[\\]a-z]{1,64}");

  private Delegation() {}

  /**
   * The caller a request is made for.
   *
   * @param relay who authenticated (the user of the request's own credentials)
   * @param relayUser the distributed-command user of this node ({@code rcmd.conf})
   * @param user the {@link #USER} header, or null
   * @param role the {@link #ROLE} header, or null
   * @param address the {@link #ADDRESS} header, or null
   * @return the caller, or a refusal (400 for bad headers, 403 when not from another node)
   */
  public static Authenticator.Outcome apply(
      Caller relay, String relayUser, String user, String role, String address) {
    if (user == null && role == null && address == null) {
      return new Authenticator.Allowed(relay);
    }
    if (!relay.name().equals(relayUser)) {
      return new Authenticator.Refused(
          403,
          relay.name()
              + " may not act on behalf of another user: only the nodes of the cluster may, as "
              + relayUser
              + " (headers "
              + USER
              + ", "
              + ROLE
              + ", "
              + ADDRESS
              + ")",
          null);
    }
    if (user == null || role == null || address == null) {
      return bad(
          "a relayed request needs the three headers " + USER + ", " + ROLE + ", " + ADDRESS);
    }
    if (!NAME.matcher(user).matches()) {
      return bad(USER + " '" + user + "' is not a user name");
    }
    Optional<Role> named = Role.parse(role);
    if (named.isEmpty()) {
      return bad(ROLE + " '" + role + "' is not Admin, Control or Monitor");
    }
    if (!ADDRESS_VALUE.matcher(address).matches()) {
      return bad(ADDRESS + " '" + address + "' is not an address");
    }
    Role granted = named.get().grants(relay.role()) ? relay.role() : named.get();
    return new Authenticator.Allowed(new Caller(user, granted, address));
  }

  private static Authenticator.Refused bad(String detail) {
    return new Authenticator.Refused(400, detail, null);
  }
}
