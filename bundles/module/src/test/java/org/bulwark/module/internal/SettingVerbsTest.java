package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.junit.Rule;
import org.junit.Test;

/** {@code safekit get -r} and {@code set -r -v [-n|-l] [-i id]} on a real runtime (spec B.20). */
public class SettingVerbsTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();

  private final MemoryStore store = pair.storeA;
  private ModuleRuntime module;
  private List<CliVerb> verbs;

  private String run(String verb, String... args) throws Exception {
    if (module == null) {
      module = pair.startA(pair.driver("n1"));
      verbs = new SettingVerbs(r -> module, () -> List.of(module)).verbs();
    }
    CliVerb v = verbs.stream().filter(x -> x.name().equals(verb)).findFirst().orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliOutput o = CliOutput.of(new PrintWriter(out, true), new PrintWriter(err, true));
    int code = v.run(new CliRequest(verb, List.of(args), "mirror", "admin", Map.of()), o);
    return code + " " + out + err;
  }

  @Test
  public void setThenGet() throws Exception {
    assertEquals("0 ", run("set", "-r", "custom.app", "-v", "down", "-i", "appcheck"));
    assertEquals("0 down\n", run("get", "-r", "custom.app"));
    assertTrue(store.messages().contains("Resource custom.app set to down by appcheck"));
    assertEquals("0 ", run("set", "-r", "custom.app", "-v", "up", "-n"));
    assertEquals("0 up\n", run("get", "-r", "custom.app"));
    assertFalse(store.messages().contains("Resource custom.app set to up by admin"));
    assertEquals("0 ", run("set", "-r", "custom.app", "-v", "up", "-l"));
    assertTrue(store.messages().contains("Resource custom.app set to up by admin"));
    String missing = run("get", "-r", "custom.none");
    assertEquals(CliExit.FAILED + " Error: module mirror has no resource custom.none\n", missing);
  }

  @Test
  public void badInputIsRefusedAndChangesNothing() throws Exception {
    String[][] bad = {
      {"-r", "custom.app", "-v", "up", "-n", "-l"},
      {"-r", "noclass", "-v", "up"},
      {"-r", "custom.app", "-v", "two words"},
      {"-r", "custom.app"},
    };
    run("get", "-r", "custom.app").length(); // starts the module
    for (String[] args : bad) {
      try {
        run("set", args);
        fail("accepted: " + List.of(args));
      } catch (IllegalArgumentException e) {
        assertTrue(
            e.getMessage(),
            e.getMessage().startsWith("set ") || e.getMessage().startsWith("bad resource"));
      }
    }
    assertFalse(module.resources().containsKey("custom.app"));
    assertFalse(module.resources().containsKey("noclass"));
  }

  /**
   * {@code failover off} on a mirror, stopped (allowed since 8.2, spec F.3), is put back to the
   * configuration's {@code failover="on"} when the configuration is applied again.
   */
  @Test
  public void theConfigurationPutsTheFailoverToggleBack() throws Exception {
    run("get", "-r", "custom.none"); // starts the module
    assertTrue(
        module
            .command(
                org.bulwark.automaton.Verb.FAILOVER_OFF,
                org.bulwark.automaton.Origin.admin("admin"),
                "")
            .get()
            .accepted());
    assertEquals("0 off\n", run("get", "-r", "usersetting.failover"));
    Toggles.applied(module, true);
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    while (!run("get", "-r", "usersetting.failover").equals("0 on\n")) {
      assertTrue(store.messages().toString(), System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
  }
}
