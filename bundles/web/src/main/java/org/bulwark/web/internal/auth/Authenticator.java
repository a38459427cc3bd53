package org.bulwark.web.internal.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the {@code Authorization} header of a request into a {@link Caller}, or a refusal with the
 * status and the reason to show: HTTP Basic with a user of {@link UserStore}, or {@code Bearer}
 * with an {@link ApiKeys} token. Failed logins are rate limited per address ({@link LoginLimiter}).
 * No user is ever built in: with no user set, every login is refused with how to set one.
 */
public final class Authenticator {

  /** What came of a request's credentials. */
  public sealed interface Outcome {}

  /** The caller is who it says. */
  public record Allowed(Caller caller) implements Outcome {}

  /**
   * The request is refused.
   *
   * @param status 401, or 429 while the address is rate limited
   * @param detail what is wrong and what to do
   * @param retryAfter how long to wait, with 429
   */
  public record Refused(int status, String detail, Duration retryAfter) implements Outcome {}

  /** How a user sets the first password, in every refusal that lacks one. */
  public static final String HOW_TO_SET =
      "set the administrator password on the node with 'safekit webservercfg -passwd <password>'";

  /**
   * How an API key is named as a caller ({@code apikey:deploy-tool@10.0.0.5} in the commands log),
   * so that it never passes for a user of the same name.
   */
  public static final String API_KEY = "apikey:";

  private final UserStore users;
  private final ApiKeys keys;
  private final LoginLimiter limiter;
  private final Sessions sessions;

  public Authenticator(UserStore users, ApiKeys keys, LoginLimiter limiter, Sessions sessions) {
    this.users = users;
    this.keys = keys;
    this.limiter = limiter;
    this.sessions = sessions;
  }

  /** The console sessions. */
  public Sessions sessions() {
    return sessions;
  }

  /**
   * The caller of a request from {@code address} with this {@code Authorization} header, or else
   * this session cookie.
   */
  public Outcome authenticate(String authorization, String session, String address)
      throws IOException {
    Optional<Refused> blocked = blocked(address);
    if (blocked.isPresent()) {
      return blocked.get();
    }
    if ((authorization == null || authorization.isBlank()) && session != null) {
      Optional<Caller> caller = sessions.use(session, address);
      if (caller.isEmpty()) {
        return refused("the session is over: log in again");
      }
      // the user's role now: a user removed or given another role since the login is so at once
      String name = caller.get().name();
      return users
          .currentRole(name)
          .<Outcome>map(r -> new Allowed(new Caller(name, r, address)))
          .orElseGet(() -> refused(name + " is no longer a user with a role"));
    }
    if (authorization == null || authorization.isBlank()) {
      return users.hasUsers()
          ? refused("credentials are required: HTTP Basic with a user, or Bearer with an API key")
          : refused("no user is set on this node: " + HOW_TO_SET);
    }
    int space = authorization.indexOf(' ');
    String scheme = space < 0 ? authorization : authorization.substring(0, space);
    String value = space < 0 ? "" : authorization.substring(space + 1).strip();
    Outcome outcome =
        switch (scheme.toLowerCase(Locale.ROOT)) {
          case "basic" -> basic(value, address);
          case "bearer" -> bearer(value, address);
          default ->
              refused(
                  "authorization scheme '" + scheme + "' is not supported: use Basic or Bearer");
        };
    if (outcome instanceof Allowed) {
      limiter.succeeded(address);
    } else {
      limiter.failed(address);
    }
    return outcome;
  }

  /** A console login ({@code /login}): the caller, counted by the rate limit like any login. */
  public Outcome login(String name, String password, String address) throws IOException {
    Optional<Refused> blocked = blocked(address);
    if (blocked.isPresent()) {
      return blocked.get();
    }
    if (!users.hasUsers()) {
      return refused("no user is set on this node: " + HOW_TO_SET);
    }
    Optional<Role> role =
        name == null || password == null ? Optional.empty() : users.check(name, password);
    if (role.isEmpty()) {
      limiter.failed(address);
      return refused("wrong user name or password, or the user has no role");
    }
    limiter.succeeded(address);
    return new Allowed(new Caller(name, role.get(), address));
  }

  private Optional<Refused> blocked(String address) {
    Optional<Duration> wait = limiter.blocked(address);
    if (wait.isEmpty()) {
      return Optional.empty();
    }
    long seconds = Math.max(1, wait.get().toSeconds());
    return Optional.of(
        new Refused(
            429,
            "too many failed logins from " + address + ": try again in " + seconds + " s",
            wait.get()));
  }

  private Outcome basic(String value, String address) throws IOException {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return refused("the Basic credentials are not valid base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return refused("the Basic credentials must be user:password");
    }
    if (!users.hasUsers()) {
      return refused("no user is set on this node: " + HOW_TO_SET);
    }
    String name = decoded.substring(0, colon);
    Optional<Role> role = users.check(name, decoded.substring(colon + 1));
    return role.<Outcome>map(r -> new Allowed(new Caller(name, r, address)))
        .orElseGet(() -> refused("wrong user name or password, or the user has no role"));
  }

  private Outcome bearer(String token, String address) throws IOException {
    return keys.check(token)
        .<Outcome>map(k -> new Allowed(new Caller(API_KEY + k.name(), k.role(), address)))
        .orElseGet(() -> refused("unknown or deleted API key"));
  }

  private static Refused refused(String detail) {
    return new Refused(401, detail, null);
  }
}
