package org.bulwark.rfs.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.bulwark.api.fs.FileType;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.api.io.DurableFiles;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.store.EventLevel;

/**
 * The {@code rfssync} policy of a module on this node (spec C.12, UG §13.7.4.9), kept durably in
 * {@code SAFEUSERVAR/rfs/rfssync.properties}, and with an external policy, what makes it hold:
 *
 * <ul>
 *   <li>on the source ({@code external prim}), an epoch: a second {@link ZoneLog} ({@code
 *       external.log}) into which the write path records, before each write, the zones it changes
 *       from the mark on. Unlike the main record it is never forgotten after a flush to a
 *       secondary: it names a superset of what differs between the files now and any backup taken
 *       after the mark. The mark is taken under the namespace lock of a running primary (no write
 *       in flight) or, on a stopped node, at the next start;
 *   <li>change detection between the backup and the start (off with {@code -d}): on the source,
 *       files whose modification time is later than the moment tracking stopped (or the mark) are
 *       recorded whole in the epoch when the primary starts; on the destination, files modified
 *       since the command are announced whole with the secondary's own zones;
 *   <li>the resources {@code usersetting.rfssyncmode|rfssyncrole|rfssyncuid} and {@code
 *       rfs.rfssync} (up only while the policy is applicable).
 * </ul>
 *
 * The policy returns to default after a successful synchronisation. Lock order: a primary's
 * namespace lock, then this object (the write path calls in holding the former).
 */
final class ExternalSync {
  /** Timestamps of the file system lag the clock by a tick: a file just written counts. */
  static final long GRACE_MILLIS = 1_000;

  private final Path file;
  private final Path epochFile;
  private final Resources resources;
  private final ReplicationEvents events;

  // guarded by this
  private RfssyncPolicy policy = RfssyncPolicy.DEFAULT;
  private long untrackedSince = -1; // -1: tracked by the primary since it started
  private boolean applicable = true;
  private ZoneLog epoch;

  private ExternalSync(Path dir, Resources resources, ReplicationEvents events) {
    this.file = dir.resolve("rfssync.properties");
    this.epochFile = dir.resolve("external.log");
    this.resources = resources;
    this.events = events;
  }

  /** Loads the policy (an unreadable one is taken as {@code full}) and publishes its resources. */
  static ExternalSync load(Path dir, Resources resources, ReplicationEvents events) {
    ExternalSync s = new ExternalSync(dir, resources, events);
    synchronized (s) {
      if (Files.isRegularFile(s.file)) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(s.file)) {
          p.load(in);
          s.policy =
              new RfssyncPolicy(
                  RfssyncPolicy.Mode.valueOf(p.getProperty("mode", "DEFAULT")),
                  RfssyncPolicy.Role.valueOf(p.getProperty("role", "DEFAULT")),
                  p.getProperty("uid", ""),
                  Boolean.parseBoolean(p.getProperty("detect", "true")),
                  Long.parseLong(p.getProperty("mark", "0")));
          s.untrackedSince = Long.parseLong(p.getProperty("untrackedSince", "-1"));
        } catch (IOException | RuntimeException e) {
          // in doubt, everything is compared and copied
          s.policy = RfssyncPolicy.FULL;
          events.log(
              EventLevel.E, "nfsadmin", "Unreadable rfssync policy " + s.file + ": full policy");
        }
      }
      s.publish();
    }
    return s;
  }

  synchronized RfssyncPolicy policy() {
    return policy;
  }

  synchronized boolean applicable() {
    return applicable;
  }

  /**
   * {@code safekit rfssync …}: the new policy, durably. {@code primary} is the tracker of this
   * node's running primary, if it runs one: its caller holds its namespace lock, so that the mark
   * falls between two writes.
   */
  synchronized void set(RfssyncPolicy p, Tracker primary) throws IOException {
    stopEpoch(primary);
    policy = p;
    applicable = true;
    untrackedSince = p.markMillis();
    if (p.external() && p.role() == RfssyncPolicy.Role.PRIM && primary != null) {
      epoch = ZoneLog.open(epochFile, 0); // zones only: its blocks are never used
      primary.epoch(epoch); // from here on, every write is recorded in the epoch first
      untrackedSince = -1;
    }
    save();
    publish();
    events.log(EventLevel.I, "nfsadmin", "Synchronization policy set to " + summary());
  }

  /**
   * The primary starts on this node: with {@code external prim}, the epoch to record into, with the
   * files changed while nothing tracked them recorded whole; null otherwise.
   */
  synchronized ZoneLog primaryStarting(List<LocalTree> trees, List<Exclusions> exclusions)
      throws IOException {
    if (!policy.external()) {
      return null;
    }
    if (policy.role() != RfssyncPolicy.Role.PRIM) {
      notApplicable(
          "this node was prepared as the destination (rfssync external second) and starts as"
              + " primary");
      return null;
    }
    epoch = ZoneLog.open(epochFile, 0); // zones only: its blocks are never used
    if (policy.detect()) {
      long from = (untrackedSince >= 0 ? untrackedSince : policy.markMillis()) - GRACE_MILLIS;
      int n = changedSince(trees, exclusions, from, epoch);
      if (n > 0) {
        events.log(
            EventLevel.I,
            "nfsadmin",
            n + " files modified while the module was stopped: copied whole at the next sync");
      }
    }
    untrackedSince = -1;
    save();
    return epoch;
  }

  /** The primary stopped cleanly at {@code nowMillis}: what changes from now on is untracked. */
  synchronized void primaryStopped(long nowMillis) throws IOException {
    if (epoch == null) {
      return;
    }
    epoch.close();
    epoch = null;
    untrackedSince = nowMillis;
    save();
  }

  /**
   * The secondary starts on this node: the policy it announces to the primary ({@code fullsync},
   * the external wire form, or empty). With {@code external second} and detection, the files
   * modified since the command are added to {@code own}, the zones it reports as its own.
   */
  synchronized String secondaryStarting(
      List<LocalTree> trees, List<Exclusions> exclusions, ZoneLog own) throws IOException {
    if (policy.mode() == RfssyncPolicy.Mode.FULL) {
      return "fullsync";
    }
    if (!policy.external()) {
      return "";
    }
    if (policy.role() != RfssyncPolicy.Role.SECOND) {
      notApplicable(
          "this node was prepared as the source (rfssync external prim) and starts as secondary");
      return policy.wire(); // the primary refuses it, naming why
    }
    // what it recorded as a primary before stays: at worst more is copied
    if (policy.detect()) {
      int n = changedSince(trees, exclusions, policy.markMillis() - GRACE_MILLIS, own);
      if (own.size() > MsgCodec.MAX_HOT_ZONES) {
        events.log(
            EventLevel.W,
            "reintegre",
            n + " files modified since rfssync external second: full synchronization");
        return "fullsync";
      }
    }
    return policy.wire();
  }

  /** The zones of the epoch, for the first pass of an external synchronisation. */
  synchronized List<ZoneLog.Zone> epochZones() {
    return epoch == null ? List.of() : epoch.all();
  }

  /**
   * A synchronisation ended well: the policy returns to default (spec C.12) if it is still the one
   * {@code seen} when the session began. {@code primary}: the caller holds its namespace lock.
   */
  synchronized void synchronised(RfssyncPolicy seen, Tracker primary) throws IOException {
    if (policy.mode() == RfssyncPolicy.Mode.DEFAULT || !policy.equals(seen)) {
      return;
    }
    stopEpoch(primary);
    policy = RfssyncPolicy.DEFAULT;
    applicable = true;
    untrackedSince = -1;
    save();
    publish();
    events.log(EventLevel.I, "nfsadmin", "Synchronization policy back to default");
  }

  /** An external synchronisation applies with the peer's policy ({@code rfs.rfssync} up). */
  synchronized void accepted() {
    if (policy.external() && !applicable) {
      applicable = true;
      publish();
    }
  }

  /**
   * An external synchronisation was refused, by the primary or on it ({@code rfs.rfssync} down).
   */
  synchronized void refused() {
    if (policy.external()) {
      applicable = false;
      publish();
    }
  }

  /**
   * The epoch could not be written (the disk of SAFEVAR): it no longer names every change, so the
   * next synchronisation is full. Called from the write path.
   */
  synchronized void abandon(IOException cause, Tracker primary) {
    primary.epoch(null);
    events.log(
        EventLevel.E,
        "nfsadmin",
        "External synchronization "
            + policy.uid()
            + " abandoned: cannot record a change ("
            + cause.getMessage()
            + "): the next synchronization is full");
    // the epoch stays open until the primary stops: other writes may be recording into it now
    policy = RfssyncPolicy.FULL;
    try {
      save();
    } catch (IOException e) {
      // in memory at least
    }
    publish();
  }

  private void notApplicable(String why) {
    applicable = false;
    publish();
    events.log(
        EventLevel.E,
        "reintegre",
        "External synchronization " + policy.uid() + " cannot be applied: " + why);
  }

  private void stopEpoch(Tracker primary) throws IOException {
    if (primary != null) {
      primary.epoch(null);
    }
    if (epoch != null) {
      epoch.close();
      epoch = null;
    }
    Files.deleteIfExists(epochFile);
  }

  /** Records whole every regular file modified at or after {@code fromMillis}; how many. */
  private static int changedSince(
      List<LocalTree> trees, List<Exclusions> exclusions, long fromMillis, ZoneLog log)
      throws IOException {
    long from = fromMillis * 1_000_000;
    List<ZoneLog.Zone> changed = new ArrayList<>();
    for (int d = 0; d < trees.size(); d++) {
      int dir = d;
      TreeWalk.walk(
          trees.get(d),
          d,
          exclusions.get(d),
          e -> {
            if (e.type() == FileType.REGULAR.ordinal() && e.mtimeNanos() >= from) {
              changed.add(new ZoneLog.Zone(dir, e.ino(), ZoneLog.WHOLE));
            }
          });
    }
    log.touchAll(changed);
    return changed.size();
  }

  private String summary() {
    return String.join(" ", policy.describe(applicable));
  }

  private void publish() {
    resources.set("usersetting.rfssyncmode", policy.mode().word());
    resources.set("usersetting.rfssyncrole", policy.role().word());
    resources.set("usersetting.rfssyncuid", policy.uid());
    resources.set("rfs.rfssync", policy.external() && applicable ? "up" : "down");
  }

  private void save() throws IOException {
    Properties p = new Properties();
    p.setProperty("mode", policy.mode().name());
    p.setProperty("role", policy.role().name());
    p.setProperty("uid", policy.uid());
    p.setProperty("detect", Boolean.toString(policy.detect()));
    p.setProperty("mark", Long.toString(policy.markMillis()));
    p.setProperty("untrackedSince", Long.toString(untrackedSince));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.store(out, "rfssync policy of the next synchronisation (spec C.12)");
    DurableFiles.write(file, out.toByteArray());
  }
}
