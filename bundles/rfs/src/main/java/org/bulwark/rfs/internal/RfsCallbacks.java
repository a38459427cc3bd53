package org.bulwark.rfs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.bulwark.api.io.DurableFiles;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.rfs.ReplicationSetup;

/**
 * The {@code _rfs_*} script callbacks of {@code <rfs scripts="on">} (spec B.7, E.7). Replication
 * decides when they run; the module runtime runs them ({@link ReplicationEvents#runCallback}), as
 * {@code SAFEUSERBIN/_rfs_callback <name>}:
 *
 * <ul>
 *   <li>{@code _rfs_pritoscd} ("primary to secondary"), on a node that served as primary since it
 *       was last synchronised as secondary, before its copy is resynchronised;
 *   <li>{@code _rfs_startsynch}, on the secondary at the start of every synchronisation.
 * </ul>
 *
 * Both run after the primary welcomed the secondary and before anything of the copy changes, {@code
 * _rfs_pritoscd} first. A non-zero exit stops the synchronisation. The names, the first argument
 * and the exit codes come from the Hyper-V module (spec E.7); when exactly they run is inferred
 * from their names.
 *
 * <p>Whether this node is a former primary is kept in {@code SAFEUSERVAR/rfs/lastrole} (written
 * durably when a primary role starts and when a synchronisation as secondary ends), so that it
 * survives a crash of the primary: the case the Hyper-V module needs (a VM still registered on the
 * old primary when it returns as secondary).
 */
final class RfsCallbacks {
  static final String STARTSYNCH = "_rfs_startsynch";
  static final String PRITOSCD = "_rfs_pritoscd";

  private static final String PRIMARY = "primary";
  private static final String SECONDARY = "secondary";

  /**
   * After a callback failed, the next synchronisation waits this long: the module goes back to WAIT
   * and follows the primary again at once, which must not run a failing script in a loop.
   */
  static final Duration RETRY = Duration.ofSeconds(10);

  private final boolean enabled;
  private final ReplicationEvents events;
  private final Path roleFile;
  private Duration retry = RETRY;
  private long failedNanos;
  private boolean failed;

  RfsCallbacks(ReplicationSetup setup, ReplicationEvents events) {
    this.enabled = setup.rfs().scripts();
    this.events = events;
    this.roleFile = setup.state().resolve("lastrole");
  }

  /** This node serves the directories from now on: a former primary until synchronised. */
  synchronized void primaryStarting() throws IOException {
    record(PRIMARY);
  }

  /** This node's copy is a faithful one of the primary's: no longer a former primary. */
  synchronized void synchronisedAsSecondary() throws IOException {
    record(SECONDARY);
  }

  /** Whether this node served as primary since it was last synchronised as secondary. */
  synchronized boolean formerPrimary() {
    try {
      return Files.isRegularFile(roleFile)
          && Files.readString(roleFile, StandardCharsets.UTF_8).trim().equals(PRIMARY);
    } catch (IOException e) {
      return true; // unknown: running the callback once more is the safe side
    }
  }

  private void record(String role) throws IOException {
    if (Files.isRegularFile(roleFile)
        && Files.readString(roleFile, StandardCharsets.UTF_8).trim().equals(role)) {
      return;
    }
    DurableFiles.write(roleFile, (role + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Another delay than {@link #RETRY} (tests). */
  synchronized void retry(Duration delay) {
    this.retry = delay;
  }

  /** A callback refused a synchronisation: the next one waits {@link #RETRY}. */
  synchronized void failed() {
    failed = true;
    failedNanos = System.nanoTime();
  }

  /** How long a new synchronisation must still wait after a failed callback; zero when none. */
  synchronized Duration retryDelay() {
    if (!failed) {
      return Duration.ZERO;
    }
    Duration left = retry.minusNanos(System.nanoTime() - failedNanos);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The callbacks due before this node's copy is synchronised, in order. */
  List<String> beforeSynchronisation() {
    List<String> due = new ArrayList<>();
    if (enabled) {
      if (formerPrimary()) {
        due.add(PRITOSCD);
      }
      due.add(STARTSYNCH);
    }
    return due;
  }

  /**
   * Runs the callbacks due before a synchronisation, in order, waiting for each; the first that
   * fails stops them.
   *
   * @return empty when every one ended with 0 (or none is due), else why the synchronisation must
   *     not go on, e.g. {@code callback _rfs_startsynch ended with exit code 2}
   * @throws InterruptedException when the session ends meanwhile
   */
  String runBeforeSynchronisation() throws InterruptedException {
    for (String callback : beforeSynchronisation()) {
      int exit;
      try {
        exit = events.runCallback(callback).get();
      } catch (ExecutionException e) {
        String why = e.getCause() == null ? e.toString() : e.getCause().getMessage();
        return "callback " + callback + " cannot run: " + why;
      }
      if (exit != 0) {
        return "callback " + callback + " ended with exit code " + exit;
      }
    }
    synchronized (this) {
      failed = false;
    }
    return "";
  }
}
