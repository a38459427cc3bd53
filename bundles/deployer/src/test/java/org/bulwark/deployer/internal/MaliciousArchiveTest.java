package org.bulwark.deployer.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.bulwark.api.deploy.DeployException;
import org.junit.Rule;
import org.junit.Test;

/**
 * Archives that must be refused with a clear message and nothing left over: no module folder, no
 * hidden staging folder, no id recorded, and nothing written outside the node (issue 4).
 */
public class MaliciousArchiveTest {

  @Rule public final Fixture fx = new Fixture();

  private static final String UC = "m/conf/userconfig.xml";

  @Test
  public void pathTraversal() throws Exception {
    refused(
        new ZipWriter().file(UC, Fixture.FARM).file("m/../../../evil", "x"),
        "entry 'm/../../../evil' leaves the module (path '..')");
    refused(
        new ZipWriter().file(UC, Fixture.FARM).file("m\\..\\..\\evil", "x"),
        "entry 'm\\..\\..\\evil' leaves the module (path '..')");
    assertFalse(Files.exists(fx.dirs.safe().resolve("evil")));
  }

  @Test
  public void absolutePaths() throws Exception {
    refused(
        new ZipWriter().file(UC, Fixture.FARM).file("/tmp/evil", "x"),
        "entry '/tmp/evil' has an absolute path");
    refused(
        new ZipWriter().file(UC, Fixture.FARM).file("C:/evil", "x"),
        "entry 'C:/evil' has an absolute path");
  }

  @Test
  public void linksLeavingTheModule() throws Exception {
    refused(
        new ZipWriter().file(UC, Fixture.FARM).symlink("m/bin/passwd", "/etc/passwd"),
        "link 'bin/passwd' -> '/etc/passwd' leaves the module");
    refused(
        new ZipWriter().file(UC, Fixture.FARM).symlink("m/bin/up", "../../../outside"),
        "link 'bin/up' -> '../../../outside' leaves the module");
    // a link then a file through it: the file is written first, the link never followed
    refused(
        new ZipWriter().symlink("m/conf", "/tmp").file(UC, Fixture.FARM),
        "link 'conf' -> '/tmp' leaves the module");
  }

  @Test
  public void linksLeavingThroughOtherLinks() throws Exception {
    // lexically bin/a -> bin/c/.. = bin, physically bin/c is the module root and .. its parent
    refused(
        new ZipWriter().file(UC, Fixture.FARM).symlink("m/bin/c", "..").symlink("m/bin/a", "c/.."),
        "link 'bin/a' leaves the module");
    refused(
        new ZipWriter().file(UC, Fixture.FARM).symlink("m/bin/dangling", "nothing"),
        "link 'bin/dangling' points to nothing in the module");
  }

  @Test
  public void linksInsideTheModuleAreKept() throws Exception {
    Path file =
        new ZipWriter()
            .file(UC, Fixture.FARM)
            .executable("m/bin/start_both", "#!/bin/sh\n")
            .symlink("m/bin/start_prim", "start_both")
            .write(fx.tmp.getRoot().toPath().resolve("ok.safe"));
    fx.deployer.install("m", Optional.of(file), OptionalInt.empty(), false);
    assertTrue(Files.isSymbolicLink(fx.dirs.modules().resolve("m/bin/start_prim")));
  }

  @Test
  public void devicesAndFifos() throws Exception {
    refused(
        new ZipWriter().file(UC, Fixture.FARM).add("m/bin/fifo", new byte[0], 010644, false, -1),
        "entry 'm/bin/fifo' is a device, fifo or socket");
  }

  @Test
  public void zipBombByCount() throws Exception {
    fx.deployer = fx.deployer(new SafeArchive.Limits(50, 1 << 20));
    ZipWriter zip = new ZipWriter().file(UC, Fixture.FARM);
    for (int i = 0; i < 60; i++) {
      zip.file("m/bin/f" + i, "");
    }
    refused(zip, "too many entries: 61 (limit 50)");
  }

  @Test
  public void zipBombBySize() throws Exception {
    fx.deployer = fx.deployer(new SafeArchive.Limits(50, 1 << 20));
    byte[] zeros = new byte[4 << 20];
    refused(
        new ZipWriter().file(UC, Fixture.FARM).deflated("m/data", zeros, -1),
        "too large: more than 1048576 bytes uncompressed");
    // the central directory lies about the size: the bytes written are counted
    refused(
        new ZipWriter().file(UC, Fixture.FARM).deflated("m/data", zeros, 10),
        "too large: more than 1048576 bytes uncompressed");
  }

  @Test
  public void centralDirectoryOfGigabytes() throws Exception {
    // an end record claiming a 1.5 GiB central directory, in a (sparse) file really that long so
    // that the claim lies inside it: refused from the claim, before reading the directory
    Path file = fx.tmp.getRoot().toPath().resolve("bad.safe");
    long claimed = 3L << 29;
    ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
    end.putInt(0x06054b50).putInt(0).putShort((short) 1).putShort((short) 1);
    end.putInt((int) claimed).putInt(0).putShort((short) 0);
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      channel.write(end.flip(), claimed);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    assertRefused(file, "central directory too large: 1610612736 bytes (limit 10240000)");
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue("allocated " + allocated + " bytes", allocated < 64 << 20);
  }

  @Test
  public void duplicates() throws Exception {
    refused(
        new ZipWriter().file(UC, Fixture.FARM).file(UC, "<safe/>"),
        "duplicate entry 'm/conf/userconfig.xml'");
  }

  @Test
  public void entriesOutsideTheTopFolder() throws Exception {
    refused(
        new ZipWriter().file(UC, Fixture.FARM).file("other/x", "x"),
        "entry 'other/x' is outside the module folder 'm/'");
  }

  @Test
  public void missingOrInvalidUserconfig() throws Exception {
    refused(
        new ZipWriter().file("m/bin/start_both", "#!/bin/sh\n"),
        "no conf/userconfig.xml (neither at the root nor in one top folder)");
    refused(
        new ZipWriter().file(UC, "<safe>\n<service mode=\"farm\">\n</safe>\n"),
        "bad.safe!/conf/userconfig.xml:3:");
    refused(
        new ZipWriter().file(UC, "<safe>\n<service mode=\"mirorr\"/>\n</safe>\n"),
        "bad.safe!/conf/userconfig.xml:2:");
    refused(new ZipWriter().file("m/x", "not a zip at all"), "no conf/userconfig.xml");
  }

  @Test
  public void notAZip() throws Exception {
    Path file = fx.tmp.getRoot().toPath().resolve("bad.safe");
    Files.writeString(file, "this is not a zip archive, just text long enough to be read");
    assertRefused(file, "not a zip archive (no end of central directory)");
  }

  @Test
  public void aRefusedUpgradeLeavesTheInstalledVersion() throws Exception {
    Path good = fx.safe("m", Fixture.FARM);
    fx.deployer.install("m", Optional.of(good), OptionalInt.empty(), false);
    fx.deployer.config("m");
    List<String> before = fx.modulesTree();
    String signature = fx.bundles.present.get("m").signature();
    Path bad =
        new ZipWriter()
            .file(UC, Fixture.FARM)
            .file("m/../evil", "x")
            .write(fx.tmp.getRoot().toPath().resolve("m2.safe"));
    try {
      fx.deployer.install("m", Optional.of(bad), OptionalInt.empty(), true);
      fail();
    } catch (DeployException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("leaves the module"));
    }
    assertEquals(before, fx.modulesTree());
    assertEquals(Fixture.FARM, Files.readString(fx.dirs.modules().resolve(UC)));
    assertEquals(signature, fx.bundles.present.get("m").signature());
    assertEquals(List.of("install m"), fx.bundles.calls);
  }

  private void refused(ZipWriter zip, String message) throws Exception {
    assertRefused(zip.write(fx.tmp.getRoot().toPath().resolve("bad.safe")), message);
  }

  private void assertRefused(Path file, String message) throws Exception {
    try {
      fx.deployer.install("m", Optional.of(file), OptionalInt.empty(), false);
      fail("installed: " + message);
    } catch (DeployException e) {
      assertTrue(
          e.getMessage(),
          e.getMessage().startsWith("module m: ") || e.getMessage().startsWith("bad.safe"));
      assertTrue(
          "expected <" + message + "> in <" + e.getMessage() + ">",
          e.getMessage().contains(message));
    }
    assertEquals("nothing left over", List.of(), fx.modulesTree());
    assertFalse("no id recorded", fx.deployer.list().iterator().hasNext());
    assertFalse(Files.exists(fx.dirs.safeVar().resolve("modules/ids.properties")));
    Files.delete(file);
  }
}
