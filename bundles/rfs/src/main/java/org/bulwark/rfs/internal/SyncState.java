package org.bulwark.rfs.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.bulwark.api.io.DurableFiles;

/**
 * The last synchronisation point of a module's pair on this node (spec C.4 {@code synctimestamp}):
 * the id both nodes recorded when a reintegration ended, and the one before it (a node may crash
 * between the two nodes recording a new one). A secondary whose id is neither of the primary's has
 * a history the primary's {@link ZoneLog} does not describe; a changed configuration (another
 * directory list, another peer), {@code safekit config} or {@code deconfig} forgets the point,
 * forcing a full copy (spec C.4 case 4).
 */
final class SyncState {
  private final Path file;
  private long current;
  private long previous;
  private String signature = "";

  /**
   * The zone record stopped describing the changes (it could not be written): the next
   * reintegration copies everything, whatever restarts come first (spec C.4 case 3, C.7).
   */
  private boolean fullNext;

  private SyncState(Path file) {
    this.file = file;
  }

  /**
   * Loads the state; a {@code signature} other than the recorded one (configuration or pairing
   * changed) resets it.
   */
  static SyncState load(Path file, String signature) throws IOException {
    SyncState s = new SyncState(file);
    if (Files.isRegularFile(file)) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
        s.current = Long.parseLong(p.getProperty("syncId", "0"));
        s.previous = Long.parseLong(p.getProperty("previousSyncId", "0"));
        s.signature = p.getProperty("signature", "");
        s.fullNext = Boolean.parseBoolean(p.getProperty("fullNext", "false"));
      } catch (IOException | NumberFormatException e) {
        s.current = 0;
        s.previous = 0;
      }
    }
    if (!s.signature.equals(signature)) {
      // first start after configuration, other directories, another peer (spec C.4 case 4)
      s.current = 0;
      s.previous = 0;
      s.signature = signature;
      s.save();
    }
    s.configured();
    return s;
  }

  /**
   * The file {@code safekit config} and {@code deconfig} leave beside this state (spec C.4 case 4):
   * the deployer writes it, the next look at the state forgets the point. Its name is shared with
   * the deployer bundle ({@code Configurer}).
   */
  static final String CONFIGURED = "configured";

  /**
   * Forgets the point if the module was configured since ({@link #CONFIGURED}): the next
   * reintegration is full, whichever node was configured (unless an {@code rfssync external} set
   * after the configuration applies: the secondary then holds a backup taken after the mark). Asked
   * at load and by a running primary at each secondary's session, since a live {@code config} keeps
   * the role running.
   */
  synchronized void configured() throws IOException {
    Path marker = file.resolveSibling(CONFIGURED);
    if (Files.exists(marker)) {
      current = 0;
      previous = 0;
      save();
      Files.deleteIfExists(marker);
    }
  }

  synchronized long current() {
    return current;
  }

  /** Whether a secondary at {@code theirs} shares this node's history. */
  synchronized boolean knows(long theirs) {
    return theirs != 0 && (theirs == current || theirs == previous);
  }

  /** A reintegration ended at {@code id}: recorded durably. */
  synchronized void record(long id) throws IOException {
    if (id == current && !fullNext) {
      return;
    }
    if (id != current) {
      previous = current;
      current = id;
    }
    fullNext = false;
    save();
  }

  /**
   * The zone record is incomplete: the next reintegration copies everything. The point itself is
   * kept, so that the secondary that shares it is not refused as a stranger (spec C.4).
   */
  synchronized void markFull() throws IOException {
    fullNext = true;
    save();
  }

  /** Whether the next reintegration must copy everything ({@link #markFull}). */
  synchronized boolean fullNext() {
    return fullNext;
  }

  /**
   * Forgets the point: the next reintegration is full ({@code fullsync}, {@code primforce}, {@code
   * rfssync full}). A primary without a point copies any secondary in full (see {@link
   * PrimaryHandler}), rather than refusing one whose point it no longer knows.
   */
  synchronized void reset() throws IOException {
    current = 0;
    previous = 0;
    save();
  }

  private void save() throws IOException {
    Properties p = new Properties();
    p.setProperty("syncId", Long.toString(current));
    p.setProperty("previousSyncId", Long.toString(previous));
    p.setProperty("signature", signature);
    if (fullNext) {
      p.setProperty("fullNext", "true");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.store(out, "last synchronisation point of the mirror pair (spec C.4)");
    DurableFiles.write(file, out.toByteArray());
  }
}
