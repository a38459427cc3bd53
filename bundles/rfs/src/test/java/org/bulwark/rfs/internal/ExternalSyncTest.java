package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.config.Rfs;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * {@code safekit rfssync external} (spec C.12, UG §13.7.4.9) on two real nodes: after a backup of
 * the source restored on the destination, the next synchronisation copies only the zones changed
 * since the mark (counted in bytes sent) and leaves identical trees; files modified where nothing
 * tracked them are found; a policy that does not apply is refused with its reason; the policy and
 * its resources, durable, back to default after success; wrong arguments change nothing.
 */
public class ExternalSyncTest {
  private static final long ZONE = 1 << 20;
  private static final Pattern SENT =
      Pattern.compile("Secondary reintegrated: (\\d+) files, (\\d+) bytes");

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  private Path big;
  private byte[] bigContent;

  /** One directory, 1 MiB zones, a 32 MiB file of random bytes and a few small ones. */
  private void files() throws IOException {
    pair.rfs = TestRfs.of(List.of("/srv/app/d0"), Rfs.Async.SECOND, ZONE);
    Path a = pair.a.get(0);
    big = a.resolve("big");
    bigContent = new byte[32 << 20];
    new java.util.Random(7).nextBytes(bigContent);
    Files.write(big, bigContent);
    for (int i = 0; i < 20; i++) {
      Files.writeString(a.resolve("small-" + i), "file " + i);
    }
    Files.createDirectories(a.resolve("sub"));
    Files.writeString(a.resolve("sub/doomed"), "removed after the backup");
    Files.writeString(a.resolve("sub/moved"), "renamed after the backup");
  }

  /** The files as written long ago: nothing about them is recent. */
  private void age(Path dir) throws IOException {
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    try (var all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        Files.setLastModifiedTime(p, old);
      }
    }
  }

  private static void pokeAt(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write("changed since the mark".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  /** A backup or restore keeping times, modes and owners ({@code cp -a}). */
  private static void copyTree(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    Process p =
        new ProcessBuilder("cp", "-a", from + "/.", to.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals("cp -a: " + out, 0, p.waitFor());
  }

  /** The restore ended a while before {@code rfssync external second} ran on the destination. */
  private void secondRunsLater() {
    pair.node2.clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30)));
  }

  private String reintegrate() throws Exception {
    pair.one.clear();
    pair.two.clear();
    pair.node2.startSecondary("");
    return pair.two.await(e -> e.startsWith("reintegrated "), 60_000);
  }

  private long bytesSent() throws Exception {
    Matcher m = SENT.matcher(pair.one.await(e -> SENT.matcher(e).find(), 60_000));
    assertTrue(m.find());
    return Long.parseLong(m.group(2));
  }

  @Test
  public void hotBackupCopiesOnlyWhatChangedSinceTheMark() throws Exception {
    files();
    pair.open();
    pair.node1.startPrimary(false); // ALONE: the destination is being restored
    Path a = pair.a.get(0);
    assertEquals(
        List.of("external prim bk-42"), pair.node1.rfssync(List.of("external", "prim", "bk-42")));
    pokeAt(big, 3 * ZONE + 100); // between the mark and the backup: the backup may hold it
    Path backup = tmp.getRoot().toPath().resolve("backup");
    copyTree(a, backup);
    pokeAt(big, 17 * ZONE + 5); // after the backup
    Files.writeString(a.resolve("small-7"), "changed after the backup");
    Files.delete(a.resolve("sub/doomed"));
    Files.move(a.resolve("sub/moved"), a.resolve("sub/moved-too"));
    Files.writeString(a.resolve("sub/new"), "x".repeat(10_000));

    copyTree(backup, pair.b.get(0)); // the restore on the destination
    secondRunsLater();
    pair.node2.rfssync(List.of("external", "second", "bk-42"));
    assertTrue(pair.two.events().contains("resource usersetting.rfssyncmode=external"));
    assertTrue(pair.two.events().contains("resource usersetting.rfssyncrole=second"));
    assertTrue(pair.two.events().contains("resource usersetting.rfssyncuid=bk-42"));
    assertTrue(pair.two.events().contains("resource rfs.rfssync=up"));
    assertTrue(pair.one.events().contains("resource rfs.rfssync=up"));

    assertEquals("reintegrated true", reintegrate());
    long sent = bytesSent();
    System.out.println("external synchronisation sent " + sent + " bytes");
    assertTrue("zones only, not the 32 MiB file: " + sent + " bytes", sent <= 3 * ZONE);
    assertTrue("the zones changed: " + sent + " bytes", sent >= 2 * 22);
    pair.barrier();
    pair.assertSameTrees("after the external synchronisation");

    // back to default on both nodes, durably
    for (Recorder r : List.of(pair.one, pair.two)) {
      assertTrue(r.events().toString(), r.events().contains("resource rfs.rfssync=down"));
      assertTrue(r.events().contains("resource usersetting.rfssyncmode=default"));
    }
    assertEquals(RfssyncPolicy.DEFAULT, pair.node1.rfssyncPolicy());
    assertEquals(List.of("default"), pair.node2.rfssync(List.of()));
    pair.assertStillSynchronous("after the external synchronisation");
  }

  @Test
  public void zonesTheSecondaryHadBeforeItsRestoreAreStillSent() throws Exception {
    files();
    pair.open();
    pair.start(); // PRIM and SECOND, synchronous
    pair.node1.rfssync(List.of("external", "prim", "bk"));
    Path backup = tmp.getRoot().toPath().resolve("backup");
    copyTree(pair.a.get(0), backup);
    // replicated live, flushed on the secondary: the main record forgets it; the epoch does not
    pokeAt(big, 3 * ZONE);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (pair.node1.status().dirtyZones() != 0) {
      assertTrue("zones never flushed", System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    copyTree(backup, pair.b.get(0)); // the backup restored over what it had received since
    secondRunsLater();
    pair.node2.rfssync(List.of("external", "second", "bk"));
    assertEquals("reintegrated true", reintegrate());
    long sent = bytesSent();
    assertTrue("zone 3 only: " + sent, sent <= 2 * ZONE);
    pair.barrier();
    pair.assertSameTrees("after a restore over a synchronised secondary");
  }

  /** The files on a primary ALONE, backed up (external, as {@code bk}) to the folder returned. */
  private Path backedUpAlone() throws Exception {
    files();
    pair.open();
    pair.node1.startPrimary(false);
    pair.node1.rfssync(List.of("external", "prim", "bk"));
    Path backup = tmp.getRoot().toPath().resolve("backup");
    copyTree(pair.a.get(0), backup);
    return backup;
  }

  @Test
  public void theEpochSurvivesARestartOfTheSource() throws Exception {
    Path backup = backedUpAlone();
    pokeAt(big, 3 * ZONE); // after the backup, recorded in the epoch only
    pair.node1.clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30))); // stops later
    pair.node1.stopPrimary(Duration.ofSeconds(5));
    pair.reopenNode1().startPrimary(false); // the node restarted: epoch and policy from disk

    copyTree(backup, pair.b.get(0));
    secondRunsLater();
    pair.node2.rfssync(List.of("external", "second", "bk"));
    assertEquals("reintegrated true", reintegrate());
    long sent = bytesSent();
    assertTrue("zone 3 only: " + sent, sent <= 2 * ZONE && sent >= 22);
    pair.barrier();
    pair.assertSameTrees("after a restart of the source");
  }

  @Test
  public void coldBackupFindsWhatChangedWhileTheSourceWasStopped() throws Exception {
    files();
    Path a = pair.a.get(0);
    Files.write(a.resolve("other"), new byte[4 << 20]);
    age(a);
    pair.open();
    pair.node1.rfssync(List.of("external", "prim", "cold")); // stopped: the mark is now
    Path backup = tmp.getRoot().toPath().resolve("backup");
    copyTree(a, backup);
    // while the module is stopped, nothing tracks: found by its time at the start
    pokeAt(big, 5 * ZONE);
    pair.node1.startPrimary(false);
    pokeAt(big, 9 * ZONE); // tracked: zone 9 alone would leave zone 5 behind

    copyTree(backup, pair.b.get(0));
    secondRunsLater();
    pair.node2.rfssync(List.of("external", "second", "cold"));
    assertEquals("reintegrated true", reintegrate());
    long sent = bytesSent();
    assertTrue("big whole: " + sent, sent >= bigContent.length);
    assertTrue("not the untouched 4 MiB file: " + sent, sent < bigContent.length + (1 << 20));
    pair.barrier();
    pair.assertSameTrees("after a cold backup");
  }

  @Test
  public void aFileChangedOnTheDestinationAfterTheRestoreIsCopiedWhole() throws Exception {
    files();
    age(pair.a.get(0));
    pair.open();
    pair.node1.startPrimary(false);
    pair.node1.rfssync(List.of("external", "prim", "bk"));
    pokeAt(big, 2 * ZONE);
    Path backup = tmp.getRoot().toPath().resolve("backup");
    copyTree(pair.a.get(0), backup);
    copyTree(backup, pair.b.get(0));
    pair.node2.rfssync(List.of("external", "second", "bk"));
    // after the command, someone writes to the destination's copy: same size, another zone
    pokeAt(pair.b.get(0).resolve("big"), 20 * ZONE);
    assertEquals("reintegrated true", reintegrate());
    pair.barrier();
    pair.assertSameTrees("after a change on the destination");
  }

  @Test
  public void aFileReplacedUnderItsNameIsCopiedWhole() throws Exception {
    Path backup = backedUpAlone();
    // saved the safe way: a sparse new file written in two places, renamed over the old one
    Path next = pair.a.get(0).resolve("big.new");
    try (RandomAccessFile raf = new RandomAccessFile(next.toFile(), "rw")) {
      raf.setLength(24 * ZONE);
      raf.write("head".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    Files.move(next, big, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    copyTree(backup, pair.b.get(0));
    secondRunsLater();
    pair.node2.rfssync(List.of("external", "second", "bk"));
    assertEquals("reintegrated true", reintegrate());
    pair.barrier();
    pair.assertSameTrees("after a file was replaced");
  }

  @Test
  public void mismatchedUidIsRefusedAndNothingIsCopied() throws Exception {
    files();
    pair.open();
    pair.node1.startPrimary(false);
    pair.node1.rfssync(List.of("external", "prim", "monday"));
    copyTree(pair.a.get(0), pair.b.get(0));
    Path stale = pair.b.get(0).resolve("only-on-the-destination");
    Files.writeString(stale, "kept: nothing is copied or removed");
    pair.node2.rfssync(List.of("external", "second", "tuesday"));
    assertTrue(
        pair.node1.diff().toString(),
        pair.node1.diff().stream().anyMatch(l -> l.startsWith("external synchronization monday")));

    String end = reintegrate();
    assertTrue(end, end.startsWith("reintegrated false"));
    assertTrue(end, end.contains("uid tuesday of the secondary does not match uid monday"));
    assertTrue(
        pair.two.events().stream()
            .anyMatch(
                e ->
                    e.startsWith("log E reintegre Synchronization refused by the primary: External")
                        && e.contains("does not match")));
    assertTrue(pair.two.events().contains("resource rfs.rfssync=down"));
    assertTrue(pair.one.events().contains("resource rfs.rfssync=down"));
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    assertTrue(Files.exists(stale));
    // neither policy changed
    assertEquals("tuesday", pair.node2.rfssyncPolicy().uid());
    assertEquals("monday", pair.node1.rfssyncPolicy().uid());
  }

  @Test
  public void rolesThatDoNotMatchAreRefused() throws Exception {
    files();
    pair.open();
    pair.node1.startPrimary(false);
    pair.node2.rfssync(List.of("external", "prim", "bk")); // the destination as a source
    assertTrue(pair.two.events().contains("resource rfs.rfssync=up"));
    String end = reintegrate();
    assertTrue(end, end.contains("the secondary node was prepared as the source"));
    assertTrue(pair.two.events().contains("resource rfs.rfssync=down"));
    pair.node2.stopSecondary(Duration.ofSeconds(5));

    // the destination right, but the primary has no external policy
    pair.node2.rfssync(List.of("external", "second", "bk"));
    end = reintegrate();
    assertTrue(end, end.contains("the primary has no external synchronization policy"));
  }

  @Test
  public void thePolicyIsDurableAndShown() throws Exception {
    files();
    pair.open();
    assertEquals("default", pair.node1.rfssync(List.of()).get(0));
    pair.node1.rfssync(List.of("-d", "prim", "nightly"));
    assertEquals(
        List.of("external prim nightly (no change detection between backup and start)"),
        pair.node1.rfssync(List.of()));
    assertTrue(pair.one.events().contains("resource usersetting.rfssyncrole=prim"));
    pair.one.clear();
    ModuleRfs again = pair.reopenNode1(); // as after a restart of the node
    assertEquals(
        new RfssyncPolicy(
            RfssyncPolicy.Mode.EXTERNAL,
            RfssyncPolicy.Role.PRIM,
            "nightly",
            false,
            pair.node1.rfssyncPolicy().markMillis()),
        again.rfssyncPolicy());
    assertTrue(pair.one.events().contains("resource usersetting.rfssyncmode=external"));
    assertTrue(pair.one.events().contains("resource usersetting.rfssyncuid=nightly"));
    again.rfssync(List.of("full"));
    assertEquals("full", again.rfssync(List.of()).get(0));
    assertTrue(pair.one.events().contains("resource usersetting.rfssyncmode=full"));
    assertTrue(pair.one.events().contains("resource rfs.rfssync=down"));
  }

  @Test
  public void wrongArgumentsChangeNothing() throws Exception {
    files();
    pair.open();
    pair.node1.rfssync(List.of("external", "prim", "good"));
    RfssyncPolicy before = pair.node1.rfssyncPolicy();
    Path file = tmp.getRoot().toPath().resolve("node1-state/rfssync.properties");
    byte[] saved = Files.readAllBytes(file);
    pair.one.clear();
    RfsService service = new RfsService(pair.driver, pair.trees);
    try {
      org.bulwark.api.rfs.ReplicationSetup setup =
          new org.bulwark.api.rfs.ReplicationSetup(
              "mirror",
              "node1",
              pair.rfs,
              new java.net.InetSocketAddress(pair.address1(), pair.port),
              new java.net.InetSocketAddress(pair.address2(), pair.port),
              tmp.getRoot().toPath().resolve("node1-state"));
      service.open(setup, pair.one);
      CliVerb verb =
          new RfsVerbs(service)
              .verbs().stream().filter(v -> v.name().equals("rfssync")).findFirst().orElseThrow();
      for (String wrong :
          List.of(
              "external prim " + "u".repeat(25),
              "external",
              "external second",
              "external backup bk",
              "-d",
              "full now",
              "sometimes")) {
        try {
          verb.run(
              new CliRequest("rfssync", List.of(wrong.split(" ")), "mirror", null, Map.of()),
              new org.bulwark.api.cli.CliOutput() {
                final java.io.PrintWriter w = new java.io.PrintWriter(System.out, true);

                @Override
                public java.io.PrintWriter out() {
                  return w;
                }

                @Override
                public java.io.PrintWriter err() {
                  return w;
                }
              });
          fail("accepted: " + wrong);
        } catch (IllegalArgumentException e) {
          // the dispatcher prints it with the usage line and exits 2 (CliExit.USAGE)
          assertFalse(wrong, e.getMessage().isEmpty());
        }
      }
    } finally {
      service.close();
    }
    assertEquals(before, pair.node1.rfssyncPolicy());
    assertTrue(java.util.Arrays.equals(saved, Files.readAllBytes(file)));
    assertFalse(
        pair.one.events().toString(), pair.one.events().contains("resource rfs.rfssync=down"));
  }
}
