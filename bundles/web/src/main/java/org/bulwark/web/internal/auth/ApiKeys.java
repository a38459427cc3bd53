package org.bulwark.web.internal.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.io.DurableFiles;

/**
 * API keys for tools (spec G.5): a bearer token with a role and a logical name. The token is shown
 * once, when created; {@code apikeys.conf} keeps only its SHA-256 (a token is 256 random bits, so a
 * fast hash is enough, unlike a password), one {@code name:Role:sha256} line per key.
 */
public final class ApiKeys {
  private static final String PREFIX = "bwk_";

  /** A key as listed: never its token. */
  public record ApiKey(String name, Role role) {}

  /** A new key, with the token the caller sees this once. */
  public record NewKey(String name, Role role, String token) {}

  private final Path file;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param directory where {@code apikeys.conf} is ({@code SAFE/web/conf})
   */
  public ApiKeys(Path directory) {
    this.file = directory.resolve("apikeys.conf");
  }

  /** Every key, by name. */
  public synchronized List<ApiKey> list() throws IOException {
    return read().stream().map(l -> new ApiKey(l.name, l.role)).toList();
  }

  /**
   * Creates a key named {@code name} with {@code role}, replacing a key of that name.
   *
   * @throws IllegalArgumentException when the name is not valid
   */
  public synchronized NewKey create(String name, Role role) throws IOException {
    if (name == null || !UserStore.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "key name '" + name + "' is not valid: 1 to 64 letters, digits, '.', '-' or '_'");
    }
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    List<Line> lines = new ArrayList<>(read());
    lines.removeIf(l -> l.name.equals(name));
    lines.add(new Line(name, role, sha256(token)));
    write(lines);
    return new NewKey(name, role, token);
  }

  /** Deletes the key named {@code name}; false when there is none. */
  public synchronized boolean delete(String name) throws IOException {
    List<Line> lines = new ArrayList<>(read());
    boolean removed = lines.removeIf(l -> l.name.equals(name));
    if (removed) {
      write(lines);
    }
    return removed;
  }

  /** The key whose token this is. */
  public synchronized Optional<ApiKey> check(String token) throws IOException {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    byte[] digest = sha256(token);
    ApiKey found = null;
    for (Line l : read()) { // every line compared, in constant time each
      if (MessageDigest.isEqual(l.digest, digest)) {
        found = new ApiKey(l.name, l.role);
      }
    }
    return Optional.ofNullable(found);
  }

  private record Line(String name, Role role, byte[] digest) {}

  /**
   * The parsed file and what it was parsed from: a check reads the file again only if it changed.
   */
  private record Parsed(FileTime modified, long size, Object key, List<Line> lines) {}

  private Parsed parsed;

  private List<Line> read() throws IOException {
    BasicFileAttributes seen;
    try {
      seen = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      parsed = null;
      return List.of();
    }
    Parsed p = parsed;
    if (p != null
        && p.modified.equals(seen.lastModifiedTime())
        && p.size == seen.size()
        && java.util.Objects.equals(p.key, seen.fileKey())) {
      return p.lines;
    }
    List<Line> lines = new ArrayList<>();
    int lineNo = 0;
    for (String line : UserStore.lines(file)) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] f = t.split(":");
      Optional<Role> role = f.length == 3 ? Role.parse(f[1]) : Optional.empty();
      if (role.isEmpty() || !f[2].matches("[0-9a-f]{64}")) {
        throw new IOException(file + ":" + lineNo + ": expected name:Admin|Control|Monitor:sha256");
      }
      lines.add(new Line(f[0], role.get(), HexFormat.of().parseHex(f[2])));
    }
    lines = List.copyOf(lines);
    parsed = new Parsed(seen.lastModifiedTime(), seen.size(), seen.fileKey(), lines);
    return lines;
  }

  private void write(List<Line> lines) throws IOException {
    StringBuilder text = new StringBuilder();
    for (Line l : lines) {
      text.append(l.name)
          .append(':')
          .append(l.role.label())
          .append(':')
          .append(HexFormat.of().formatHex(l.digest))
          .append('\n');
    }
    parsed = null;
    DurableFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java", e);
    }
  }
}
