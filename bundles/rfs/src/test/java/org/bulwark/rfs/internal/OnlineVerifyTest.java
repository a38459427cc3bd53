package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * Online verify (issue 9 item 6, spec C.12 {@code rfsverify}): while the application writes, an
 * identical secondary verifies identical (no false alarm); a secondary changed behind the
 * replication's back is caught zone by zone, attribute by attribute, name by name, from either
 * node, and {@code --resend} repairs data and attributes.
 */
public class OnlineVerifyTest {
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @Test
  public void anIdenticalSecondaryVerifiesIdenticalWhileTheApplicationWrites() throws Exception {
    Path a = pair.a.get(0);
    Files.write(a.resolve("big"), new byte[6 << 20]);
    pair.open();
    pair.start();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try (RandomAccessFile raf = new RandomAccessFile(a.resolve("big").toFile(), "rw")) {
                byte[] block = new byte[4096];
                for (int i = 0; !stop.get(); i++) {
                  block[0] = (byte) i;
                  raf.seek((i * 7919L * 4096) % (6 << 20));
                  raf.write(block);
                  Files.writeString(a.resolve("f" + (i % 20)), "version " + i);
                }
              } catch (Throwable t) {
                failed.set(t);
              }
            });
    writer.start();
    try {
      ModuleRfs.Verified v = pair.node1.verify(false, Duration.ofMinutes(2));
      assertTrue(String.join("\n", v.lines()), v.same());
    } finally {
      stop.set(true);
      writer.join();
    }
    assertEquals(null, failed.get());
  }

  @Test
  public void differencesAreFoundFromEitherNodeAndResent() throws Exception {
    Path a = pair.a.get(0);
    Path b = pair.b.get(0);
    Files.write(a.resolve("big"), new byte[3 << 20]);
    Files.writeString(a.resolve("small"), "same");
    pair.open();
    pair.start();

    // behind the replication's back, on the secondary
    try (RandomAccessFile raf = new RandomAccessFile(b.resolve("big").toFile(), "rw")) {
      raf.seek((2 << 20) + 5);
      raf.write(42);
    }
    Files.setPosixFilePermissions(b.resolve("small"), PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(b.resolve("intruder"), "not on the primary");

    ModuleRfs.Verified fromSecondary = pair.node2.verify(false, Duration.ofMinutes(1));
    assertFalse(fromSecondary.same());
    String report = String.join("\n", fromSecondary.lines());
    assertTrue(report, report.contains("/big: data (zone 0) differ"));
    assertTrue(report, report.contains("/small: attributes differ"));
    assertTrue(report, report.contains("/: names differ"));

    ModuleRfs.Verified resent = pair.node1.verify(true, Duration.ofMinutes(1));
    assertTrue(
        String.join("\n", resent.lines()),
        resent.lines().get(resent.lines().size() - 1).endsWith("sent again"));
    Files.delete(b.resolve("intruder"));
    ModuleRfs.Verified after = pair.node1.verify(false, Duration.ofMinutes(1));
    assertTrue(String.join("\n", after.lines()), after.same());
    // the root's time is the test's doing (it removed the intruder by hand): the rest is equal
    var primary = new java.util.TreeMap<>(Trees.describe(a));
    var secondary = new java.util.TreeMap<>(Trees.describe(b));
    primary.remove("/");
    secondary.remove("/");
    assertEquals(primary, secondary);
  }
}
