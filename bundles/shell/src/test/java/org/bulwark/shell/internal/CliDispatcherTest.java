package org.bulwark.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.junit.Test;

public class CliDispatcherTest {
  private final MemoryCommandLog log = new MemoryCommandLog();
  private final List<CliRequest> seen = new ArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CliOutput output =
      CliOutput.of(new PrintWriter(out, true), new PrintWriter(err, true));

  private final CliVerb start =
      new CliVerb() {
        @Override
        public String name() {
          return "start";
        }

        @Override
        public String summary() {
          return "start a module";
        }

        @Override
        public String usage() {
          return "Usage: safekit start -m AM";
        }

        @Override
        public int run(CliRequest request, CliOutput o) {
          seen.add(request);
          if (request.args().contains("boom")) {
            throw new IllegalStateException("the module is busy");
          }
          return request.module() == null ? 1 : 0;
        }
      };

  private final CliDispatcher dispatcher = new CliDispatcher(() -> List.of(start), log);

  private int run(Map<String, String> env, String... argv) {
    return dispatcher.dispatch(List.of(argv), env, output);
  }

  @Test
  public void moduleOptionIsTakenOutWhereverItStands() {
    assertEquals(0, run(Map.of(), "start", "-m", "mirror"));
    assertEquals("mirror", seen.get(0).module());
    assertEquals(List.of(), seen.get(0).args());
    assertEquals(0, run(Map.of(), "-m", "farm", "start"));
    assertEquals("farm", seen.get(1).module());
  }

  @Test
  public void safemoduleFromTheScriptEnvironmentMakesMOptional() {
    assertEquals(0, run(Map.of("SAFEMODULE", "mirror"), "start"));
    assertEquals("mirror", seen.get(0).module());
  }

  @Test
  public void journaledCommandsGoToTheCommandsLogWithTheirExitCode() {
    run(Map.of(), "start", "-m", "mirror", "-u", "admin@10.0.0.103");
    assertEquals(2, log.rows.size());
    assertEquals("start -m mirror -u admin@10.0.0.103", log.rows.get(0).text());
    assertEquals("mirror", log.rows.get(0).module());
    assertEquals("0", log.rows.get(1).text());
    assertEquals(log.rows.get(0).id(), log.rows.get(1).id());
  }

  @Test
  public void unknownVerbSuggestsTheNearestOne() {
    assertEquals(CliExit.USAGE, run(Map.of(), "strat", "-m", "mirror"));
    assertTrue(err.toString(), err.toString().contains("unknown command 'strat'"));
    assertTrue(err.toString(), err.toString().contains("did you mean 'start'?"));
    assertTrue(log.rows.isEmpty());
  }

  @Test
  public void aFailingVerbGivesAMessageAndNoStackTrace() {
    assertEquals(CliExit.FAILED, run(Map.of(), "start", "boom", "-m", "m"));
    assertEquals("Error: the module is busy\n", err.toString());
    assertEquals("1", log.rows.get(1).text());
  }

  @Test
  public void missingOptionValueIsAUsageError() {
    assertEquals(CliExit.USAGE, run(Map.of(), "start", "-m"));
    assertEquals("Error: option -m needs a value\n", err.toString());
  }

  @Test
  public void helpListsVerbsAndShowsTheirUsage() {
    assertEquals(0, run(Map.of(), "--help"));
    assertTrue(out.toString().contains("start        start a module"));
    out.getBuffer().setLength(0);
    assertEquals(0, run(Map.of(), "start", "--help"));
    assertEquals("Usage: safekit start -m AM\n", out.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, run(Map.of(), "help", "start"));
    assertEquals("Usage: safekit start -m AM\n", out.toString());
    assertTrue(seen.isEmpty());
  }

  @Test
  public void noArgumentsPrintsHelpWithAUsageExitCode() {
    assertEquals(CliExit.USAGE, run(Map.of()));
    assertTrue(out.toString().startsWith("Usage: safekit <command>"));
  }

  /** A verb named start that claims only {@code start web}, as boot webon does next to boot on. */
  private final CliVerb startWeb =
      new CliVerb() {
        @Override
        public String name() {
          return "start";
        }

        @Override
        public java.util.Set<String> subcommands() {
          return java.util.Set.of("web");
        }

        @Override
        public String summary() {
          return "start the web";
        }

        @Override
        public String usage() {
          return "Usage: safekit start web";
        }

        @Override
        public int run(CliRequest request, CliOutput o) {
          seen.add(request);
          return 7;
        }
      };

  @Test
  public void aVerbClaimingASubcommandGetsItTheGeneralVerbTheRest() {
    for (List<CliVerb> order : List.of(List.of(startWeb, start), List.of(start, startWeb))) {
      CliDispatcher both = new CliDispatcher(() -> order, log);
      assertEquals(7, both.dispatch(List.of("start", "web"), Map.of(), output));
      assertEquals(0, both.dispatch(List.of("start", "-m", "m"), Map.of(), output));
      assertEquals(0, both.dispatch(List.of("start", "webx", "-m", "m"), Map.of(), output));
    }
  }
}
