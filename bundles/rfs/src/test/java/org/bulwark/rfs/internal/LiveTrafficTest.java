package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * Spec B.20 on a real pair: while an application writes, {@code rfs.rep_bandwidth} is up on both
 * nodes, the primary's {@code rfs.netout_bandwidth} and the secondary's {@code rfs.netin_bandwidth}
 * carry it, acknowledgements the other way; zero once the role stops.
 */
public class LiveTrafficTest {
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.247", "127.0.3.248", 19445);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  /** The last value {@code node} published for {@code resource}, -1 if none. */
  private static long last(Recorder node, String resource) {
    List<String> values =
        node.events().stream()
            .filter(e -> e.startsWith("resource " + resource + "="))
            .map(e -> e.substring(e.indexOf('=') + 1))
            .toList();
    return values.isEmpty() ? -1 : Long.parseLong(values.get(values.size() - 1));
  }

  private static boolean moving(Recorder node) {
    return last(node, Traffic.REP) > 0 && last(node, Traffic.OUT) > 0 && last(node, Traffic.IN) > 0;
  }

  @Test
  public void liveWritesShowInTheBandwidthsOfBothNodes() throws Exception {
    pair.open();
    pair.start();
    Path f = pair.a.get(0).resolve("log");
    byte[] chunk = new byte[64 << 10];
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!(moving(pair.one) && moving(pair.two))) {
      assertTrue(
          "no bandwidth seen: " + pair.one.events() + " / " + pair.two.events(),
          System.nanoTime() < deadline);
      Files.write(f, chunk, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    // the data goes from the primary to the secondary: more out of one, more into the other
    assertTrue(last(pair.one, Traffic.OUT) > last(pair.one, Traffic.IN));
    assertTrue(last(pair.two, Traffic.IN) > last(pair.two, Traffic.OUT));

    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.node1.stopPrimary(Duration.ofSeconds(5));
    for (Recorder node : List.of(pair.one, pair.two)) {
      for (String r : List.of(Traffic.REP, Traffic.OUT, Traffic.IN)) {
        assertEquals(r, 0, last(node, r));
      }
    }
  }
}
