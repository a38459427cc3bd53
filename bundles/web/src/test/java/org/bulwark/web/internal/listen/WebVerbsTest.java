package org.bulwark.web.internal.listen;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.junit.Test;

public class WebVerbsTest {
  /** What the verbs asked of the web service, in order. */
  private final List<String> calls = new ArrayList<>();

  private final WebControl web =
      new WebControl() {
        boolean running = true;
        boolean boot = true;

        @Override
        public void start() {
          calls.add("start");
          running = true;
        }

        @Override
        public void stop() {
          calls.add("stop");
          running = false;
        }

        @Override
        public Status status() {
          return new Status(running, boot, "cluster", List.of("10.0.0.1", "127.0.0.1"), 9010);
        }

        @Override
        public void setBoot(boolean on) {
          calls.add("boot " + on);
          boot = on;
        }
      };

  private final StringWriter out = new StringWriter();

  private int run(CliVerb verb, String... args) throws Exception {
    PrintWriter w = new PrintWriter(out, true);
    CliOutput o = CliOutput.of(w, w);
    return verb.run(new CliRequest(verb.name(), List.of(args), null, null, Map.of()), o);
  }

  @Test
  public void webserverVerbs() throws Exception {
    WebserverVerb verb = new WebserverVerb(web);
    assertEquals(0, run(verb, "stop"));
    assertTrue(
        out.toString(), out.toString().startsWith("webserver stopped on 10.0.0.1,127.0.0.1"));
    assertEquals(0, run(verb, "restart"));
    assertEquals(0, run(verb, "start"));
    assertEquals(0, run(verb, "status"));
    assertEquals(List.of("stop", "stop", "start", "start"), calls);
    assertTrue(
        out.toString()
            .endsWith(
                "webserver running on 10.0.0.1,127.0.0.1 port 9010"
                    + " (bulwark.web.addr=cluster), boot webon\n"));
    assertFalse(
        verb.journaled(new CliRequest("webserver", List.of("status"), null, null, Map.of())));
    assertTrue(verb.journaled(new CliRequest("webserver", List.of("stop"), null, null, Map.of())));
  }

  @Test
  public void badArgumentsChangeNothing() {
    WebserverVerb webserver = new WebserverVerb(web);
    BootWebVerb boot = new BootWebVerb(web);
    for (String[] args :
        List.of(new String[] {}, new String[] {"halt"}, new String[] {"start", "now"})) {
      assertThrows(IllegalArgumentException.class, () -> run(webserver, args));
    }
    for (String[] args :
        List.of(new String[] {}, new String[] {"on"}, new String[] {"webon", "x"})) {
      assertThrows(IllegalArgumentException.class, () -> run(boot, args));
    }
    assertEquals(List.of(), calls);
    assertEquals("", out.toString());
  }

  @Test
  public void bootWebSetsOnlyTheBootSetting() throws Exception {
    BootWebVerb verb = new BootWebVerb(web);
    assertEquals(0, run(verb, "weboff"));
    assertEquals(0, run(verb, "webstatus"));
    assertEquals(0, run(verb, "webon"));
    assertEquals(List.of("boot false", "boot true"), calls);
    assertEquals("webserver boot off\nwebserver boot off\nwebserver boot on\n", out.toString());
    assertEquals(BootWebVerb.WORDS, verb.subcommands());
  }
}
