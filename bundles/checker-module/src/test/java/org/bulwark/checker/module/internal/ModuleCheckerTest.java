package org.bulwark.checker.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerSession;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.checker.internal.CheckerExecutor;
import org.bulwark.checker.testing.RecordingTarget;
import org.bulwark.checker.testing.Userconfigs;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * {@code <module>} against a web service on loopback that answers the health-check URL as a node
 * does (spec G.10): the resource follows the other module, and its return after a restart stops and
 * starts this module (spec B.17).
 */
public class ModuleCheckerTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);

  private final AtomicBoolean ready = new AtomicBoolean(true);
  // the ready period the other node names in the health-check URL's ETag (none when null)
  private final AtomicReference<String> period = new AtomicReference<>();
  private final CheckerExecutor executor = new CheckerExecutor();
  private final RecordingTarget target = new RecordingTarget();
  private HttpServer server;

  @Before
  public void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/var/modules/db/ready.txt",
        exchange -> {
          byte[] body = ready.get() ? "OK\n".getBytes() : new byte[0];
          if (ready.get() && period.get() != null) {
            exchange.getResponseHeaders().set("ETag", "\"" + period.get() + "\"");
          }
          exchange.sendResponseHeaders(
              ready.get() ? 200 : 404, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @After
  public void stop() {
    executor.deactivate();
    server.stop(0);
  }

  private CheckerContext context(String to) {
    return Userconfigs.context(
        "<check><module name=\"db\">" + to + "</module></check>", Path.of("bin"));
  }

  @Test
  public void theResourceFollowsTheOtherModuleAndItsRestartStopsAndStartsThisOne()
      throws Exception {
    int port = server.getAddress().getPort();
    executor.addProvider(new ModuleChecker());
    CheckerContext context =
        context("<to addr=\"127.0.0.1\" port=\"" + port + "\" interval=\"1\" timeout=\"1\"/>");
    try (CheckerSession s = executor.open(context, target)) {
      s.state(LocalState.of(ModuleState.ALONE, Readiness.READY));
      target.awaitLine("Resource module.db_127.0.0.1 set to up by modulecheck", LIMIT);
      ready.set(false);
      target.awaitLine("Resource module.db_127.0.0.1 set to down by modulecheck", LIMIT);
      ready.set(true);
      target.awaitLine("Action stopstart called by modulecheck", LIMIT);
      List<String> lines = target.lines();
      int back = lines.indexOf("Module db on 127.0.0.1:" + port + " is ready");
      assertTrue(lines.toString(), back > 0);
      assertEquals(
          List.of(
              "Resource module.db_127.0.0.1 set to up by modulecheck",
              "Action stopstart called by modulecheck"),
          lines.subList(back + 1, back + 3));
    }
  }

  /**
   * A restart of the other module shorter than the interval: no test sees it down, but its ready
   * period (the ETag of its health-check URL) changed, and this module is stopped and started all
   * the same (spec B.17).
   */
  @Test
  public void aRestartBetweenTwoTestsIsSeenByTheReadyPeriod() throws Exception {
    int port = server.getAddress().getPort();
    period.set("1733380000000-1");
    executor.addProvider(new ModuleChecker());
    CheckerContext context =
        context("<to addr=\"127.0.0.1\" port=\"" + port + "\" interval=\"1\" timeout=\"1\"/>");
    try (CheckerSession s = executor.open(context, target)) {
      s.state(LocalState.of(ModuleState.ALONE, Readiness.READY));
      target.awaitLine("Resource module.db_127.0.0.1 set to up by modulecheck", LIMIT);
      period.set("1733380000000-2");
      target.awaitLine("Action stopstart called by modulecheck", LIMIT);
      List<String> lines = target.lines();
      String where = "Module db on 127.0.0.1:" + port + " is ready";
      int restarted = lines.indexOf(where + " (restarted since the last test)");
      assertTrue(lines.toString(), restarted > 0);
      assertEquals("Action stopstart called by modulecheck", lines.get(restarted + 1));
      assertFalse(
          lines.toString(),
          lines.contains("Resource module.db_127.0.0.1 set to down by modulecheck"));
      assertEquals(1, lines.stream().filter(l -> l.startsWith("Action stopstart")).count());
    }
  }

  @Test
  public void theWatchOfAModuleWithoutTo() {
    Watch w = new ModuleChecker().checks(context("")).get(0);
    assertEquals("module.db_127.0.0.1", w.resource());
    assertEquals("pre", w.phase());
    assertEquals(Duration.ofSeconds(10), w.interval());
    assertEquals(Duration.ofSeconds(5), w.timeout());
    assertEquals(
        "http://127.0.0.1:9010/var/modules/db/ready.txt",
        ModuleChecker.uri(context("").config().check().module().get(0)).toString());
  }
}
