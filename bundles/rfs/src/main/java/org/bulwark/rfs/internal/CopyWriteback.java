package org.bulwark.rfs.internal;

import java.io.IOException;
import org.bulwark.api.fs.LocalTree;

/**
 * Writeback of one file's reintegration copy while the copy goes on (issue 9, full
 * synchronisation): without it the secondary's copies stay dirty in its page cache until the
 * reintegration's final {@code syncfs}, which then writes everything back with nothing left to
 * overlap it. Every {@value #CHUNK} bytes written in a row, writeback of that range starts ({@code
 * sync_file_range} WRITE, no wait), and the range before it is waited for, so that a copy holds at
 * most two ranges of dirty pages per file and a disk slower than the network slows the copy rather
 * than filling the memory. At the copy's end (or when its writes stop following each other: zones
 * of a file) what is left starts writeback too, if at least {@value #TAIL} bytes: small files cost
 * no call at all (the final {@code syncfs} writes them back together, as before).
 *
 * <p>Only for copies: a live write's durability is its fsync's, unchanged. The state of one file
 * open on one lane's applier; not thread-safe.
 */
final class CopyWriteback {
  static final long CHUNK = 8L << 20;
  static final long TAIL = 1L << 20;

  static final int WAIT_BEFORE = 1;
  static final int WRITE = 2;
  static final int WAIT_AFTER = 4;

  /** Written by the copy, writeback not started: [from, end). */
  private long from;

  private long end;

  /** Writeback started and not waited for (length 0: none). */
  private long startedFrom;

  private long startedLength;

  /** After {@code length} bytes of a copy were written at {@code offset}. */
  void written(LocalTree.OpenFile file, long offset, long length) throws IOException {
    if (offset != end) {
      ended(file); // not in a row: another zone of the file
      from = offset;
    }
    end = offset + length;
    if (end - from < CHUNK) {
      return;
    }
    file.syncRange(from, end - from, WRITE);
    if (startedLength > 0) {
      file.syncRange(startedFrom, startedLength, WAIT_BEFORE | WRITE | WAIT_AFTER);
    }
    startedFrom = from;
    startedLength = end - from;
    from = end;
  }

  /** The copy of the file ended: writeback of what is left starts, if it is worth a call. */
  void ended(LocalTree.OpenFile file) throws IOException {
    if (end - from >= TAIL) {
      file.syncRange(from, end - from, WRITE);
    }
    from = end;
    startedLength = 0;
  }
}
