package org.bulwark.module.internal;

import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.junit.Test;

/**
 * {@code safekit stop|restart|stopstart|swap -i <identity>} (spec B.3, F.3): a wrong command line
 * is a usage error raised before any module is asked (none exists here: reaching one would fail
 * differently), so nothing changes.
 */
public class ControlVerbArgsTest {

  private static final PrintWriter SINK = new PrintWriter(new StringWriter());

  private static final CliOutput OUT =
      new CliOutput() {
        @Override
        public PrintWriter out() {
          return SINK;
        }

        @Override
        public PrintWriter err() {
          return SINK;
        }
      };

  private static CliVerb verb(String name) {
    return new ModuleVerbs(null, null, null)
        .verbs().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  private static String refused(String name, String module, String... args) {
    CliVerb verb = verb(name);
    return assertThrows(
            IllegalArgumentException.class,
            () -> verb.run(new CliRequest(name, List.of(args), module, null, Map.of()), OUT))
        .getMessage();
  }

  @Test
  public void identityCommandsRefuseBadArguments() {
    for (String name : List.of("stop", "restart", "stopstart", "swap")) {
      assertTrue(refused(name, "AM", "-i").contains("option -i needs a value"));
      assertTrue(
          refused(name, "AM", "-i", "errd", "extra").contains("unexpected argument 'extra'"));
      assertTrue(refused(name, null, "-i", "errd").contains("no module given"));
    }
    // only these take an identity: start, forcestop and prim do not count for maxloop
    for (String name : List.of("start", "forcestop", "prim")) {
      assertTrue(refused(name, "AM", "-i", "errd").contains("unexpected argument '-i'"));
    }
  }

  @Test
  public void updateTakesNoArgument() {
    assertTrue(refused("update", "AM", "now").contains("unexpected argument 'now'"));
    assertTrue(refused("update", null).contains("no module given"));
  }

  @Test
  public void loopCommandsRefuseBadArguments() {
    for (String name : List.of("incloop", "resetloop", "checkloop")) {
      assertTrue(refused(name, "AM", "-i").contains("option -i needs a value"));
      assertTrue(refused(name, "AM", "x").contains("unexpected argument 'x'"));
    }
  }
}
