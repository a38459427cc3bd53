package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bulwark.api.config.Rfs;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * What a reintegration tells (spec C.4, B.7, B.20): the seed's messages on the secondary, the
 * copied files one by one on the primary with {@code reidetail="on"} only, the resources at the
 * end; and {@code tocheck}: a replicated directory without the file it names does not start.
 */
public class ReintegrationReportTest {
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.249", "127.0.3.250", 0);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @Test
  public void theSecondaryTellsTheSeedsMessagesAndThePrimaryEachFileWithReidetail()
      throws Exception {
    pair.rfs = TestRfs.withReidetail(pair.rfs, true);
    files();
    pair.open();
    pair.start();
    List<String> two = pair.two.events();
    assertTrue(
        two.toString(), two.contains("log I reintegre Updating directory tree from /srv/app/d0"));
    String copied = "log I reintegre Copied " + ((1 << 20) + 10 + 3) + " bytes, 3 files in ";
    assertTrue(
        two.toString(), two.stream().anyMatch(e -> e.startsWith(copied) && e.endsWith(" KB/s)")));
    assertTrue(two.contains("log E reintegre Reintegration ended (synchronize)"));
    assertTrue(two.contains("progress rfs.rei_left=0"));
    List<String> one = pair.one.events();
    for (String f : List.of("/big (1048576 bytes)", "/small (10 bytes)", "/sub/c (3 bytes)")) {
      assertTrue(one.toString(), one.contains("log I reintegre Copied " + f));
    }
  }

  @Test
  public void withoutReidetailNoFileIsNamed() throws Exception {
    files();
    pair.open();
    pair.start();
    assertFalse(
        pair.one.events().toString(),
        pair.one.events().stream().anyMatch(e -> e.startsWith("log I reintegre Copied /")));
  }

  @Test
  public void aDirectoryWithoutItsTocheckFileDoesNotStart() throws Exception {
    pair.rfs =
        TestRfs.withReplicated(
            pair.rfs,
            List.of(
                new Rfs.Replicated("/srv/app/d0", false, List.of("config/app.conf"), List.of())));
    pair.open();
    Path a = pair.a.get(0);
    try {
      pair.node1.startPrimary(false);
      fail("started without config/app.conf");
    } catch (IOException e) {
      assertEquals(
          "tocheck path "
              + a.resolve("config/app.conf")
              + " is missing: replication of "
              + a
              + " does not start",
          e.getMessage());
    }
    assertFalse("nothing mounted", pair.driver.isMounted(a));
    for (Path d : List.of(a, pair.b.get(0))) { // the secondary checks it too before it follows
      Files.createDirectories(d.resolve("config"));
      Files.writeString(d.resolve("config/app.conf"), "x");
    }
    pair.start();
    pair.assertSameTrees("started once the file is there");
  }

  /** On the primary's disk: 1 MiB, 10 bytes and 3 bytes. */
  private void files() throws IOException {
    Path a = pair.a.get(0);
    Files.write(a.resolve("big"), new byte[1 << 20]);
    Files.writeString(a.resolve("small"), "0123456789");
    Files.createDirectories(a.resolve("sub"));
    Files.writeString(a.resolve("sub/c"), "abc");
  }
}
