package org.bulwark.checker.ping.internal;

import static org.junit.Assert.assertEquals;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.checker.testing.Userconfigs;
import org.junit.Test;

/**
 * {@code <ping>}: the watch of its targets; up while one answers (the echo itself is tested between
 * namespaces in native/net {@code IcmpPingerTest}).
 */
public class PingCheckerTest {
  private final Set<String> answering = ConcurrentHashMap.newKeySet();

  private final PingChecker checker =
      new PingChecker(
          (InetAddress a, Duration t) ->
              answering.contains(a.getHostAddress())
                  ? Optional.empty()
                  : Optional.of("no reply within " + t.toMillis() + " ms"));

  private Watch watch() {
    return checker
        .checks(
            Userconfigs.context(
                "<check><ping ident=\"gw\"><to addr=\"192.0.2.1\" interval=\"4\" timeout=\"2\"/>"
                    + "<to addr=\"192.0.2.2\" interval=\"3\"/></ping></check>",
                Path.of("bin")))
        .get(0);
  }

  @Test
  public void theWatch() {
    Watch w = watch();
    assertEquals("ping.gw", w.resource());
    assertEquals("pingcheck", w.by());
    assertEquals("pre", w.phase());
    assertEquals(Duration.ofSeconds(3), w.interval());
    assertEquals(Duration.ofSeconds(7), w.timeout());
  }

  @Test
  public void upWhileOneAnswers() {
    Watch w = watch();
    assertEquals(
        ProbeResult.down("192.0.2.1: no reply within 2000 ms, 192.0.2.2: no reply within 5000 ms"),
        w.probe().probe(w.timeout()));
    answering.add("192.0.2.2");
    assertEquals(ProbeResult.up("192.0.2.2 answers"), w.probe().probe(w.timeout()));
    answering.add("192.0.2.1");
    assertEquals(ProbeResult.up("192.0.2.1 answers"), w.probe().probe(w.timeout()));
  }
}
