package org.bulwark.web.internal.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Console sessions (spec G.1, G.2): a login gives a random token, sent back in the {@code
 * sessionSK} cookie, that stands for the user until it is idle for {@link #IDLE} (SafeKit's {@code
 * SessionMaxAge 28800}) or logged out. Sessions live in memory: a node restart logs everybody out.
 */
public final class Sessions {
  /** The name of the session cookie, as in SafeKit. */
  public static final String COOKIE = "sessionSK";

  /** A session idle this long is over. */
  public static final Duration IDLE = Duration.ofHours(8);

  /** Sessions kept at most; the least recently used goes first when full. */
  static final int MAX_SESSIONS = 10_000;

  private record Session(String user, Role role, Instant lastSeen) {}

  private final Supplier<Instant> clock;
  private final SecureRandom random = new SecureRandom();

  // guarded by this
  private final Map<String, Session> sessions = new HashMap<>();

  public Sessions(Supplier<Instant> clock) {
    this.clock = clock;
  }

  /** A new session for {@code user} and its token. */
  public synchronized String open(String user, Role role) {
    Instant now = clock.get();
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.values().removeIf(s -> idle(s, now));
      if (sessions.size() >= MAX_SESSIONS) {
        sessions.entrySet().stream()
            .min((a, b) -> a.getValue().lastSeen().compareTo(b.getValue().lastSeen()))
            .map(Map.Entry::getKey)
            .ifPresent(sessions::remove);
      }
    }
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    sessions.put(token, new Session(user, role, now));
    return token;
  }

  /** The user and role of a live session, which counts as activity; empty when over or unknown. */
  public synchronized Optional<Caller> use(String token, String address) {
    Session s = token == null ? null : sessions.get(token);
    Instant now = clock.get();
    if (s == null) {
      return Optional.empty();
    }
    if (idle(s, now)) {
      sessions.remove(token);
      return Optional.empty();
    }
    sessions.put(token, new Session(s.user(), s.role(), now));
    return Optional.of(new Caller(s.user(), s.role(), address));
  }

  /** Ends a session. */
  public synchronized void close(String token) {
    if (token != null) {
      sessions.remove(token);
    }
  }

  private static boolean idle(Session s, Instant now) {
    return !now.isBefore(s.lastSeen().plus(IDLE));
  }
}
