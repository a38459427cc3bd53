package org.bulwark.web.internal.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bulwark.api.io.DurableFiles;

/**
 * The file users of spec G.2: {@code user.conf} holds {@code name:hash} lines (htpasswd layout,
 * bcrypt {@code $2y$} hashes from Bouncy Castle), {@code group.conf} lines {@code Admin: u1},
 * {@code Control: u2}, {@code Monitor: u3 u4}. Without {@code group.conf} every user is Admin, as
 * in SafeKit; with it, a user it does not list has no role.
 *
 * <p>The files are read on every check (they are small), so that {@code safekit webservercfg} takes
 * effect at once. bcrypt is slow on purpose; a successful check is remembered, keyed by the stored
 * hash, so that HTTP Basic on every request does not cost a bcrypt each.
 */
public final class UserStore {
  /** User names: letters, digits, dot, dash and underscore, as in a login name. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** bcrypt reads at most 72 bytes: a longer password would be silently truncated. */
  static final int MAX_PASSWORD_BYTES = 72;

  static final int MIN_PASSWORD_CHARS = 8;

  private final Path users;
  private final Path groups;
  private final int cost;
  private final SecureRandom random = new SecureRandom();
  private final byte[] cacheSalt = new byte[16];
  private final Map<String, CachedCheck> verified = new ConcurrentHashMap<>();

  private record CachedCheck(String storedHash, byte[] digest) {}

  /** A hash of a random password at this store's cost, checked against for unknown users. */
  private volatile String unknownUserHash;

  /**
   * @param directory where {@code user.conf} and {@code group.conf} are ({@code SAFE/web/conf})
   * @param cost the bcrypt cost of new hashes (12 in a node; tests use less)
   */
  public UserStore(Path directory, int cost) {
    this.users = directory.resolve("user.conf");
    this.groups = directory.resolve("group.conf");
    this.cost = cost;
    random.nextBytes(cacheSalt);
  }

  /** The file of users, for messages. */
  public Path usersFile() {
    return users;
  }

  /** Whether at least one user is set: without one the API refuses every authenticated call. */
  public boolean hasUsers() throws IOException {
    return !readUsers().isEmpty();
  }

  /** The role of {@code name} if {@code password} is its password and it has a role. */
  public Optional<Role> check(String name, String password) throws IOException {
    String stored = readUsers().get(name);
    if (stored == null) {
      // as slow as a real check, so that timing does not tell which user names exist
      checkHash(unknownUserHash(), password);
      return Optional.empty();
    }
    byte[] digest = digest(password);
    CachedCheck cached = verified.get(name);
    boolean ok;
    if (cached != null && cached.storedHash().equals(stored)) {
      ok = MessageDigest.isEqual(cached.digest(), digest);
    } else {
      ok = checkHash(stored, password);
      if (ok) {
        verified.put(name, new CachedCheck(stored, digest));
      }
    }
    return ok ? roleOf(name) : Optional.empty();
  }

  /**
   * Sets the password of {@code name} (creating the user), and its role when {@code role} is given.
   *
   * @throws IllegalArgumentException naming what is wrong with the name or the password
   */
  public void setPassword(String name, String password, Role role) throws IOException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "user name '" + name + "' is not valid: 1 to 64 letters, digits, '.', '-' or '_'");
    }
    validatePassword(password);
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    String hash = OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
    Map<String, String> all = readUsers();
    List<String> existing = new ArrayList<>(all.keySet());
    all.put(name, hash);
    StringBuilder text = new StringBuilder();
    all.forEach((n, h) -> text.append(n).append(':').append(h).append('\n'));
    if (role != null) {
      writeRole(name, role, existing);
    }
    DurableFiles.write(users, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  static void validatePassword(String password) {
    if (password == null || password.length() < MIN_PASSWORD_CHARS) {
      throw new IllegalArgumentException(
          "the password must have at least " + MIN_PASSWORD_CHARS + " characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      throw new IllegalArgumentException(
          "the password must have at most " + MAX_PASSWORD_BYTES + " bytes (a bcrypt limit)");
    }
    if (password.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("the password must not contain control characters");
    }
  }

  /** The role of an existing user, without checking a password (for a live session). */
  public Optional<Role> currentRole(String name) throws IOException {
    return readUsers().containsKey(name) ? roleOf(name) : Optional.empty();
  }

  /** The role of a user: from {@code group.conf}, or Admin when there is no such file. */
  Optional<Role> roleOf(String name) throws IOException {
    Map<Role, List<String>> byRole = readGroups();
    if (byRole == null) {
      return Optional.of(Role.ADMIN);
    }
    for (Role r : List.of(Role.ADMIN, Role.CONTROL, Role.MONITOR)) {
      if (byRole.getOrDefault(r, List.of()).contains(name)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * Gives {@code name} the role {@code role} in {@code group.conf}. Creating the file for the first
   * time keeps the users already there Admin, as they were without it.
   */
  private void writeRole(String name, Role role, List<String> existing) throws IOException {
    Map<Role, List<String>> byRole = readGroups();
    if (byRole == null) {
      byRole = new LinkedHashMap<>();
      byRole.put(Role.ADMIN, new ArrayList<>(existing));
    }
    for (List<String> members : byRole.values()) {
      members.remove(name);
    }
    byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(name);
    StringBuilder text = new StringBuilder();
    for (Role r : List.of(Role.ADMIN, Role.CONTROL, Role.MONITOR)) {
      List<String> members = byRole.getOrDefault(r, List.of());
      text.append(r.label()).append(':');
      members.forEach(m -> text.append(' ').append(m));
      text.append('\n');
    }
    DurableFiles.write(groups, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, String> readUsers() throws IOException {
    Map<String, String> all = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : lines(users)) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int colon = t.indexOf(':');
      if (colon <= 0) {
        throw new IOException(users + ":" + lineNo + ": expected name:hash");
      }
      all.put(t.substring(0, colon), t.substring(colon + 1));
    }
    return all;
  }

  /** The members of each role, or null when there is no {@code group.conf}. */
  private Map<Role, List<String>> readGroups() throws IOException {
    if (!Files.exists(groups)) {
      return null;
    }
    Map<Role, List<String>> byRole = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : lines(groups)) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int colon = t.indexOf(':');
      Optional<Role> role = colon <= 0 ? Optional.empty() : Role.parse(t.substring(0, colon));
      if (role.isEmpty()) {
        throw new IOException(
            groups + ":" + lineNo + ": expected Admin:, Control: or Monitor: then user names");
      }
      List<String> members = byRole.computeIfAbsent(role.get(), r -> new ArrayList<>());
      for (String m : t.substring(colon + 1).strip().split("\\s+")) {
        if (!m.isEmpty()) {
          members.add(m);
        }
      }
    }
    return byRole;
  }

  /** The lines of {@code file}, none when it does not exist. */
  static List<String> lines(Path file) throws IOException {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  private String unknownUserHash() {
    String hash = unknownUserHash;
    if (hash == null) {
      byte[] salt = new byte[16];
      byte[] password = new byte[16];
      random.nextBytes(salt);
      random.nextBytes(password);
      hash =
          OpenBSDBCrypt.generate(
              "2y", java.util.HexFormat.of().formatHex(password).toCharArray(), salt, cost);
      unknownUserHash = hash;
    }
    return hash;
  }

  private static boolean checkHash(String stored, String password) {
    try {
      return OpenBSDBCrypt.checkPassword(stored, password.toCharArray());
    } catch (IllegalArgumentException e) {
      // not a bcrypt hash, or a password bcrypt cannot take: a failed login, not an error
      return false;
    }
  }

  private byte[] digest(String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(cacheSalt);
      return sha.digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java", e);
    }
  }
}
