package org.bulwark.web.internal.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class UserStoreTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Path dir;
  private UserStore users;

  @Before
  public void setUp() {
    dir = tmp.getRoot().toPath().resolve("web/conf");
    users = new UserStore(dir, 4);
  }

  @Test
  public void noUserUntilAPasswordIsSet() throws Exception {
    assertFalse(users.hasUsers());
    assertEquals(Optional.empty(), users.check("admin", "admin"));
    users.setPassword("admin", "long enough", null);
    assertTrue(users.hasUsers());
  }

  @Test
  public void passwordsAreBcryptHashesInAPrivateFile() throws Exception {
    users.setPassword("admin", "long enough", null);
    String text = Files.readString(dir.resolve("user.conf"));
    assertTrue(text, text.startsWith("admin:$2y$04$"));
    assertFalse(text, text.contains("long enough"));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("user.conf"))));
    assertEquals(Optional.of(Role.ADMIN), users.check("admin", "long enough"));
    assertEquals(Optional.of(Role.ADMIN), users.check("admin", "long enough")); // remembered
    assertEquals(Optional.empty(), users.check("admin", "long enougH"));
    assertEquals(Optional.empty(), users.check("nobody", "long enough"));
  }

  @Test
  public void aNewPasswordReplacesTheOld() throws Exception {
    users.setPassword("admin", "first password", null);
    assertTrue(users.check("admin", "first password").isPresent());
    users.setPassword("admin", "second password", null);
    assertEquals(Optional.empty(), users.check("admin", "first password"));
    assertTrue(users.check("admin", "second password").isPresent());
  }

  @Test
  public void rolesComeFromGroupConfAndExistingUsersStayAdmin() throws Exception {
    users.setPassword("admin", "admin password", null);
    users.setPassword("mon", "monitor password", Role.MONITOR);
    assertEquals(Optional.of(Role.ADMIN), users.check("admin", "admin password"));
    assertEquals(Optional.of(Role.MONITOR), users.check("mon", "monitor password"));
    users.setPassword("mon", "monitor password", Role.CONTROL);
    assertEquals(Optional.of(Role.CONTROL), users.check("mon", "monitor password"));
    assertEquals(
        "Admin: admin\nControl: mon\nMonitor:\n", Files.readString(dir.resolve("group.conf")));
    // a user group.conf does not list has no role
    Files.writeString(dir.resolve("group.conf"), "Monitor: someoneelse\n");
    assertEquals(Optional.empty(), users.check("admin", "admin password"));
  }

  @Test
  public void badNamesAndPasswordsAreRefusedAndChangeNothing() throws Exception {
    users.setPassword("admin", "admin password", null);
    byte[] before = Files.readAllBytes(dir.resolve("user.conf"));
    assertMessage("at least 8", () -> users.setPassword("admin", "short", null));
    assertMessage("at most 72 bytes", () -> users.setPassword("admin", "é".repeat(37), null));
    assertMessage("control characters", () -> users.setPassword("admin", "new\npassword", null));
    assertMessage("'a:b' is not valid", () -> users.setPassword("a:b", "long enough", null));
    assertArrayEqualsText(before, Files.readAllBytes(dir.resolve("user.conf")));
  }

  @Test
  public void aBrokenFileIsReportedAtItsLine() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("user.conf"), "# users\nadmin\n", StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> users.check("admin", "x"));
    assertTrue(e.getMessage(), e.getMessage().endsWith("user.conf:2: expected name:hash"));
    Files.writeString(dir.resolve("user.conf"), "admin:not-a-hash\n");
    assertEquals(Optional.empty(), users.check("admin", "anything at all"));
    Files.writeString(dir.resolve("group.conf"), "Root: admin\n");
    users.setPassword("admin", "admin password", null);
    IOException g = assertThrows(IOException.class, () -> users.check("admin", "admin password"));
    assertTrue(g.getMessage(), g.getMessage().contains("group.conf:1:"));
  }

  private static void assertMessage(String part, org.junit.function.ThrowingRunnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r);
    assertTrue(e.getMessage(), e.getMessage().contains(part));
  }

  private static void assertArrayEqualsText(byte[] expected, byte[] actual) {
    assertEquals(
        new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8));
  }
}
