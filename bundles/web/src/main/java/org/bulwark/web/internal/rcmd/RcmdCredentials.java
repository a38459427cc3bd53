package org.bulwark.web.internal.rcmd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The private user of distributed commands (spec F.1, F.7: {@code rcmdadmin}): the name and
 * password this node presents to the others, in {@code SAFE/web/conf/rcmd.conf} (one line {@code
 * user:password}, mode 0600, root only). The same user is an Admin in {@code user.conf} on every
 * node, with the same password, so that each node accepts the others' commands. The password is
 * kept as given because this node must send it; the users file keeps only its bcrypt hash.
 */
public final class RcmdCredentials {
  /** The user's default name, as in SafeKit. */
  public static final String DEFAULT_USER = "rcmdadmin";

  static final String FILE = "rcmd.conf";

  /**
   * @param user the user name
   * @param password its password
   */
  record Credentials(String user, String password) {}

  private final Path file;

  /**
   * @param webConf {@code SAFE/web/conf}
   */
  public RcmdCredentials(Path webConf) {
    this.file = webConf.resolve(FILE);
  }

  public Path file() {
    return file;
  }

  /** The credentials, if {@code safekit webservercfg -rcmdpasswd} set them on this node. */
  Optional<Credentials> read() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String line = Files.readString(file, StandardCharsets.UTF_8).strip();
    int colon = line.indexOf(':');
    if (colon <= 0 || colon == line.length() - 1) {
      throw new IOException(file + ": expected one line user:password");
    }
    return Optional.of(new Credentials(line.substring(0, colon), line.substring(colon + 1)));
  }

  /**
   * The user that the other nodes present to this one: the user of {@code rcmd.conf}, else {@link
   * #DEFAULT_USER}. Only this user may relay a request on behalf of a user (see {@code
   * Delegation}).
   */
  public String relayUser() throws IOException {
    return read().map(Credentials::user).orElse(DEFAULT_USER);
  }

  /**
   * The {@code Authorization} header with which this node presents itself to the others (HTTP Basic
   * as the distributed-command user), if {@code safekit webservercfg -rcmdpasswd} set it.
   */
  public Optional<String> basicAuthorization() throws IOException {
    return read()
        .map(
            c ->
                "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString(
                            (c.user() + ":" + c.password()).getBytes(StandardCharsets.UTF_8)));
  }

  /** Replaces the credentials atomically; the file is readable by its owner only. */
  public void write(String user, String password) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp =
        Files.createTempFile(
            file.getParent(),
            FILE,
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temp, user + ":" + password + "\n", StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
