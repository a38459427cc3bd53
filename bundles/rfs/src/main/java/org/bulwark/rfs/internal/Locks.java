package org.bulwark.rfs.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What keeps the secondary's order the primary's order (DESIGN: "operations on one file apply in
 * order; namespace operations are ordered against the data of every file they name"). A change is
 * made locally and queued for the secondary under the same locks, so the queue holds changes in the
 * order they were made:
 *
 * <ul>
 *   <li>changes to data and attributes of one file hold the shared side of the namespace lock and
 *       the stripe of their path: changes of different files go in parallel, of one file in turn;
 *   <li>changes to names (create, unlink, rename …) hold the namespace lock exclusively: a rename
 *       of a directory is ordered against writes to every file beneath it;
 *   <li>reintegration reads a zone and queues its copy under the file's stripe, and the switch to
 *       synchronous replication holds the namespace lock exclusively (a short barrier).
 * </ul>
 *
 * A lock is taken in {@code FileInterceptor.before} and released in {@code after}, on the same
 * thread; no thread waits for the network while holding one, except for room in the send buffer.
 */
final class Locks {
  private static final int STRIPES = 256;

  private final ReentrantReadWriteLock namespace = new ReentrantReadWriteLock(true);
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

  Locks() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  ReentrantLock stripe(int dir, String path) {
    int h = (path == null ? 0 : path.hashCode()) * 31 + dir;
    return stripes[Math.floorMod(h ^ (h >>> 16), STRIPES)];
  }

  /** For a change to one file's data or attributes. */
  void lockFile(int dir, String path) {
    namespace.readLock().lock();
    stripe(dir, path).lock();
  }

  void unlockFile(int dir, String path) {
    stripe(dir, path).unlock();
    namespace.readLock().unlock();
  }

  void lockNamespace() {
    namespace.writeLock().lock();
  }

  /** The barrier: false if it could not be had within the limit. */
  boolean tryLockNamespace(long millis) throws InterruptedException {
    return namespace.writeLock().tryLock(millis, TimeUnit.MILLISECONDS);
  }

  void unlockNamespace() {
    namespace.writeLock().unlock();
  }
}
