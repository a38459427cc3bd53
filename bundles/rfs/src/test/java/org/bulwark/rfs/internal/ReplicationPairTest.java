package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import org.bulwark.api.config.Rfs;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * Replication between two nodes in this JVM (spec B.7, C.4): the first reintegration makes the
 * secondary's tree what the primary's is, whatever it held; then every change the application makes
 * through the primary's mount is on the secondary when its call returns.
 */
public class ReplicationPairTest {
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 2);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  private void assertSameTrees() throws Exception {
    pair.settleTimes(); // modification times are equal once carried (docs/replication.md)
    for (int d = 0; d < pair.dirs; d++) {
      Map<String, String> primary = Trees.describe(pair.a.get(d));
      Map<String, String> secondary = Trees.describe(pair.b.get(d));
      assertEquals("directory " + d, primary, secondary);
    }
  }

  @Test
  public void theFirstReintegrationMakesTheSecondaryTheSameTree() throws Exception {
    Path a = pair.a.get(0);
    Path b = pair.b.get(0);
    Files.writeString(a.resolve("hello.txt"), "hello");
    Files.createDirectories(a.resolve("sub/deeper"));
    Files.write(a.resolve("sub/deeper/data.bin"), new byte[3 * 1024 * 1024 + 17]);
    try (RandomAccessFile sparse = new RandomAccessFile(a.resolve("sparse").toFile(), "rw")) {
      sparse.seek(20L << 20);
      sparse.write("end".getBytes(StandardCharsets.UTF_8));
    }
    Files.createSymbolicLink(a.resolve("link"), Path.of("sub/deeper/data.bin"));
    Files.createLink(a.resolve("sub/hard"), a.resolve("hello.txt"));
    Files.setPosixFilePermissions(
        a.resolve("hello.txt"), PosixFilePermissions.fromString("rw-r-----"));
    Files.getFileAttributeView(a.resolve("hello.txt"), UserDefinedFileAttributeView.class)
        .write("color", java.nio.ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8)));
    // the secondary holds things the primary does not, and a file that differs
    Files.writeString(b.resolve("stale.txt"), "old");
    Files.createDirectories(b.resolve("sub/gone/deep"));
    Files.writeString(b.resolve("hello.txt"), "HELLO, but older");
    Files.writeString(pair.b.get(1).resolve("x"), "in the second directory");

    pair.open();
    pair.start();

    assertSameTrees();
    long allocated = blocks(b.resolve("sparse"));
    assertTrue("the hole stayed a hole: " + allocated + " blocks", allocated < 64);
    assertTrue(pair.two.events().contains("log E reintegre Reintegration ended (synchronize)"));
  }

  /** 512-byte blocks allocated to a file (Java does not say). */
  static long blocks(Path p) throws Exception {
    Process stat = new ProcessBuilder("stat", "--format=%b", p.toString()).start();
    String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, stat.waitFor());
    return Long.parseLong(out);
  }

  @Test
  public void changesThroughTheMountAreOnTheSecondaryWhenTheCallReturns() throws Exception {
    // async="none": the secondary acknowledges once it has written (spec B.7)
    pair.rfs =
        TestRfs.of(pair.rfs.replicated().stream().map(r -> r.dir()).toList(), Rfs.Async.NONE);
    pair.open();
    pair.start();
    Path a = pair.a.get(0);
    Path b = pair.b.get(0);

    Files.writeString(a.resolve("f"), "first");
    assertEquals("first", Files.readString(b.resolve("f")));
    Files.writeString(a.resolve("f"), "second, longer");
    assertEquals("second, longer", Files.readString(b.resolve("f")));
    Files.createDirectories(a.resolve("d1/d2"));
    Files.move(a.resolve("f"), a.resolve("d1/d2/g"));
    Files.createSymbolicLink(a.resolve("d1/s"), Path.of("d2/g"));
    Files.createLink(a.resolve("h"), a.resolve("d1/d2/g"));
    Files.setPosixFilePermissions(a.resolve("h"), PosixFilePermissions.fromString("rwx------"));
    try (RandomAccessFile raf = new RandomAccessFile(a.resolve("h").toFile(), "rw")) {
      raf.setLength(3);
      raf.seek(10);
      raf.write('!');
      raf.getFD().sync();
    }
    Files.delete(a.resolve("d1/s"));
    Files.writeString(pair.a.get(1).resolve("other"), "x");
    assertSameTrees();
  }
}
