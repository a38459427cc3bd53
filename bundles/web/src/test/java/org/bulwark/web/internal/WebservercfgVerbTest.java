package org.bulwark.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.web.internal.auth.Role;
import org.bulwark.web.internal.auth.UserStore;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class WebservercfgVerbTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** The commands log rows as text: {@code START line} and {@code END code}. */
  private final List<String> journal = new ArrayList<>();

  private final CommandLog log =
      new CommandLog() {
        @Override
        public long start(String type, String module, String commandLine) {
          journal.add("START " + commandLine);
          return journal.size();
        }

        @Override
        public void end(long id, int exitCode) {
          journal.add("END " + exitCode);
        }

        @Override
        public void info(String type, String module, String message) {}

        @Override
        public List<CommandLogEntry> tail(int limit) {
          return List.of();
        }
      };

  private int run(WebservercfgVerb verb, String... args) throws Exception {
    StringWriter out = new StringWriter();
    PrintWriter w = new PrintWriter(out, true);
    CliOutput o = CliOutput.of(w, w);
    return verb.run(new CliRequest("webservercfg", List.of(args), null, null, Map.of()), o);
  }

  @Test
  public void setsThePasswordAndNeverJournalsIt() throws Exception {
    Path dir = tmp.getRoot().toPath();
    UserStore users = new UserStore(dir, 4);
    WebservercfgVerb verb = new WebservercfgVerb(users, log);
    assertFalse(verb.journaled(null));
    assertEquals(0, run(verb, "-passwd", "s3cret-pass"));
    assertEquals(Optional.of(Role.ADMIN), users.check("admin", "s3cret-pass"));
    assertEquals(0, run(verb, "-passwd", "other-pass", "-user", "ops", "-role", "monitor"));
    assertEquals(Optional.of(Role.MONITOR), users.check("ops", "other-pass"));
    assertEquals(
        List.of(
            "START webservercfg -passwd ***** -user admin",
            "END 0",
            "START webservercfg -passwd ***** -user ops -role Monitor",
            "END 0"),
        journal);
    assertFalse(journal.toString().contains("s3cret"));
    assertFalse(journal.toString().contains("other-pass"));
  }

  @Test
  public void badArgumentsAreUsageErrorsThatChangeNothing() throws Exception {
    Path dir = tmp.getRoot().toPath();
    WebservercfgVerb verb = new WebservercfgVerb(new UserStore(dir, 4), log);
    for (String[] args :
        List.of(
            new String[] {},
            new String[] {"-passwd"},
            new String[] {"-passwd", "long enough", "extra"},
            new String[] {"-passwd", "long enough", "-role", "Root"},
            new String[] {"-passwd", "short"})) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> run(verb, args));
      assertTrue(e.getMessage(), !e.getMessage().isBlank());
    }
    assertFalse(Files.exists(dir.resolve("user.conf")));
    assertTrue(journal.toString(), journal.stream().noneMatch(l -> l.contains("short")));
  }

  @Test
  public void setsTheDistributedCommandUserForThisNodeAndTheOthers() throws Exception {
    Path dir = tmp.getRoot().toPath();
    UserStore users = new UserStore(dir, 4);
    WebservercfgVerb verb = new WebservercfgVerb(users, log);
    assertEquals(0, run(verb, "-rcmdpasswd", "rcmd-secret"));
    // an Admin for the other nodes' requests; the password kept for this node's own requests
    assertEquals(Optional.of(Role.ADMIN), users.check("rcmdadmin", "rcmd-secret"));
    Path rcmd = dir.resolve("rcmd.conf");
    assertEquals("rcmdadmin:rcmd-secret\n", Files.readString(rcmd));
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(rcmd)));
    assertEquals(0, run(verb, "-rcmdpasswd", "other-secret", "-rcmduser", "rcmd2"));
    assertEquals("rcmd2:other-secret\n", Files.readString(rcmd));
    assertEquals(
        List.of(
            "START webservercfg -rcmdpasswd ***** -rcmduser rcmdadmin",
            "END 0",
            "START webservercfg -rcmdpasswd ***** -rcmduser rcmd2",
            "END 0"),
        journal);
    for (String[] args :
        List.of(
            new String[] {"-rcmdpasswd", "short"},
            new String[] {"-rcmduser", "x", "-passwd", "long enough"},
            new String[] {"-rcmdpasswd", "long enough", "-user", "ops"})) {
      assertThrows(IllegalArgumentException.class, () -> run(verb, args));
    }
    assertEquals("rcmd2:other-secret\n", Files.readString(rcmd));
  }
}
