package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * {@code safekit rfsdiff} (spec C.12) on a real pair: before any synchronisation, everything; with
 * the secondary away, the files, zones and blocks written since, which the next reintegration then
 * copies; refused on the secondary.
 */
public class RfsDiffTest {
  private static final int MIB = 1 << 20;

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @Test
  public void beforeTheFirstSynchronisationEverything() throws Exception {
    pair.open();
    pair.node1.startPrimary(false);
    List<String> diff = pair.node1.diff();
    assertEquals(
        "no synchronisation point with a secondary: the next reintegration copies everything",
        diff.get(0));
  }

  @Test
  public void withTheSecondaryAwayTheZonesWrittenSince() throws Exception {
    Path big = pair.a.get(0).resolve("big");
    Files.write(big, new byte[16 * MIB]);
    pair.startedThenAway();
    assertEquals(
        List.of(
            "0 files changed since the last synchronisation: 0 zones of 8192 KB, at most 0 KB to"
                + " copy"),
        pair.node1.diff());
    try (var f = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.WRITE)) {
      f.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
      f.write(java.nio.ByteBuffer.wrap(new byte[] {4, 5, 6}), 9L * MIB);
    }
    assertEquals(
        List.of(
            "1 files changed since the last synchronisation: 2 zones of 8192 KB, at most 8 KB to"
                + " copy"),
        pair.node1.diff());
    Files.writeString(pair.a.get(0).resolve("new"), "a file made while the secondary is away");
    // the new file is recorded whole (its first record), written in a zone of its own
    assertEquals(
        List.of(
            "2 files changed since the last synchronisation: 2 zones of 8192 KB and 1 whole file,"
                + " at most 8 KB to copy plus the whole files"),
        pair.node1.diff());

    pair.node2.startSecondary("");
    pair.two.await(e -> e.equals("reintegrated true"), 60_000);
    pair.assertSameTrees("the zones rfsdiff named copied");
    String second = pair.one.await(e -> e.contains("Secondary reintegrated: 2 files, "), 10_000);
    assertTrue(second, second.contains(" 2 files, " + (8192 + 39) + " bytes "));
    try {
      pair.node2.diff();
      fail("rfsdiff on the secondary");
    } catch (IOException e) {
      assertTrue(e.getMessage(), e.getMessage().startsWith("rfsdiff runs on the node that holds"));
    }
  }
}
