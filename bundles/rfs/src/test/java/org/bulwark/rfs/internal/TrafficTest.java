package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.Test;

/**
 * Spec B.20: {@code rfs.rep_bandwidth}, {@code rfs.netout_bandwidth} and {@code
 * rfs.netin_bandwidth}, 3-s averages in KB/s, after known traffic on a counted connection.
 */
public class TrafficTest {
  private static final long SECOND = 1_000_000_000L;

  private final Recorder events = new Recorder("node1");
  private final Resources resources = new Resources(events);
  private final Traffic traffic = resources.traffic();

  private String last(String resource) {
    List<String> values =
        events.events().stream()
            .filter(e -> e.startsWith("resource " + resource + "="))
            .map(e -> e.substring(e.indexOf('=') + 1))
            .toList();
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }

  @Test
  public void threeSecondsOfKnownTrafficGiveTheirAverages() {
    EmbeddedChannel channel = new EmbeddedChannel();
    traffic.install(channel.pipeline());
    traffic.sample(0); // the window opens

    // 30 KiB out through the pipeline, 6 KiB straight into the socket (DirectWriter), 12 KiB in
    channel.writeOutbound(Unpooled.wrappedBuffer(new byte[30 << 10]));
    Traffic.sent(channel, 6 << 10);
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[12 << 10]));
    // live changes: two writes of 4 KiB and 2 KiB less their fields, one rename (fields only)
    byte[] four = new byte[(4 << 10) - (int) Traffic.FIELDS];
    byte[] two = new byte[(2 << 10) - (int) Traffic.FIELDS];
    traffic.live(new Change.Write(0, "/f", 0, four, Change.KEEP_TIME));
    traffic.live(new Change.Write(0, "/g", 0, two, Change.KEEP_TIME));
    traffic.live(new Change.Rename(0, "/f", "/h", 0));
    traffic.sample(3 * SECOND);

    assertEquals("12", last(Traffic.OUT)); // 36 KiB in 3 s
    assertEquals("4", last(Traffic.IN));
    assertEquals("2", last(Traffic.REP)); // (6 KiB + 64 bytes) / 3 s
    channel.releaseOutbound();
    channel.releaseInbound();

    // nothing in the next 3 s: back to zero; the role's end publishes zero too
    traffic.sample(6 * SECOND);
    assertEquals("0", last(Traffic.OUT));
    assertEquals("0", last(Traffic.REP));
    traffic.sent(9 << 10);
    traffic.sample(7 * SECOND);
    assertEquals("9", last(Traffic.OUT)); // per second over the time since the last sample
    traffic.stop();
    assertEquals("0", last(Traffic.OUT));
    assertEquals("0", last(Traffic.IN));
    assertEquals("0", last(Traffic.REP));
  }

  @Test
  public void aChangeWeighsItsDataAndItsFields() {
    assertEquals(
        Traffic.FIELDS + 10,
        Traffic.weight(new Change.Write(0, "/f", 0, new byte[10], Change.KEEP_TIME)));
    assertEquals(Traffic.FIELDS, Traffic.weight(new Change.Unlink(0, "/f")));
    assertTrue(Traffic.kbPerSecond(1024, SECOND) == 1);
  }
}
