package org.bulwark.rfs.internal;

import java.util.List;

/**
 * The messages of the replication channel (a TCP connection per secondary, spec G.9 port, and
 * {@code nbremconn - 1} more that carry changes: {@link Join}). The secondary connects and says
 * {@link Hello}; the primary answers {@link Welcome} or {@link Refuse}; the secondary sends its
 * tree ({@link Listing} batches, then {@link ListingEnd}); from then on the primary sends numbered
 * {@link Op}s — the reintegration first, then, after {@link InSync}, the application's changes as
 * they happen — and the secondary acknowledges each ({@link Ack}). Either side may {@link Ping}; a
 * secondary that cannot go on says {@link Failure} and closes.
 */
sealed interface Msg {

  /** Secondary → primary, first message. */
  record Hello(
      String module,
      String node,
      long incarnation,
      String policy,
      long syncId,
      List<String> dirs,
      List<long[]> hotZones)
      implements Msg {}

  /**
   * Secondary → primary, first message of one of a session's further connections ({@code
   * nbremconn}, spec B.7): {@code session} is the number its {@link Welcome} gave, {@code index}
   * the connection's (1 to {@code nbremconn - 1}). The primary spreads the session's changes over
   * its connections, the secondary applies them in their numbers' order.
   */
  record Join(long session, int index) implements Msg {}

  /** Primary → secondary: the session goes on; {@code full}: everything will be copied. */
  record Welcome(long session, boolean full, long syncId) implements Msg {}

  /** Primary → secondary: no session, and why (logged by the secondary). */
  record Refuse(String reason) implements Msg {}

  /** Secondary → primary: part of the secondary's tree. */
  record Listing(List<Entry> entries) implements Msg {}

  /** Secondary → primary: the tree is complete. */
  record ListingEnd(long entries) implements Msg {}

  /**
   * Primary → secondary: send your tree again (the next reintegration pass), once every change
   * numbered before {@code seq} is applied.
   */
  record ListRequest(long seq) implements Msg {}

  /** Primary → secondary: the secondary now holds everything; live changes follow. */
  record InSync(long seq, long syncId) implements Msg {}

  /** Secondary → primary: run an online verify ({@code safekit rfsverify} on the secondary). */
  record VerifyRequest(boolean resend) implements Msg {}

  /** Primary → secondary: the verify's report, line by line; {@code same}: nothing differs. */
  record VerifyReport(List<String> lines, boolean same) implements Msg {}

  /** Primary → secondary: how far the reintegration is (every few seconds while it runs). */
  record Progress(long filesLeft, long bytesLeft, long bytesCopied, long bytesPerSecond, long eta)
      implements Msg {}

  /** Secondary → primary: operation {@code seq} received (or applied), {@code errno} 0 if fine. */
  record Ack(long seq, int errno) implements Msg {}

  /** Either way: liveness, answered by a Ping with {@code reply}. */
  record Ping(long nanos, boolean reply) implements Msg {}

  /** Secondary → primary: the secondary cannot apply (its disk failed…); the session ends. */
  record Failure(String reason) implements Msg {}

  /**
   * Primary → secondary: one numbered change to apply. {@code linked}: the change is to one file's
   * data or attributes ({@link Change#ofOneFile}) and the primary found that file with several
   * names (hard links) when it read it for a reintegration — or a directory, whose count is of its
   * subdirectories; the secondary's parallel appliers then apply it in the stream's order ({@link
   * ApplyLanes#laneOf}).
   */
  record Op(long seq, Change change, boolean linked) implements Msg {
    /** A change of no file with several names (the live stream, tests). */
    Op(long seq, Change change) {
      this(seq, change, false);
    }
  }

  /**
   * One entry of a tree listing.
   *
   * @param dir index of the replicated directory
   * @param path relative path
   * @param type {@link org.bulwark.api.fs.FileType} ordinal
   * @param mode permission bits
   * @param size bytes
   * @param mtimeNanos modification time
   * @param ino inode number on the side that listed it
   * @param nlink hard links
   * @param target symbolic link target, else empty
   */
  record Entry(
      int dir,
      String path,
      int type,
      int mode,
      int uid,
      int gid,
      long size,
      long mtimeNanos,
      long ino,
      long nlink,
      String target) {}
}
