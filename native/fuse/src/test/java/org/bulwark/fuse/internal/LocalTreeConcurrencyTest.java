package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.TreeCalls.EBADF;
import static org.bulwark.fuse.internal.TreeCalls.O_CREAT;
import static org.bulwark.fuse.internal.TreeCalls.O_RDWR;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.api.fs.LocalTree.OpenFile;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/** One tree and its open files used from several threads at once. */
public class LocalTreeConcurrencyTest {
  private static final int THREADS = 8;
  private static final int STRIPE = 16 * 1024;
  private static final int ROUNDS = 64;

  @Rule public final TestDirs dirs = new TestDirs();
  private Path dir;
  private LocalTree tree;
  private ExecutorService pool;

  @Before
  public void open() throws Exception {
    dir = dirs.newDir("localtree-concurrency");
    tree = new ConfinedTrees().open(dir);
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @After
  public void close() throws Exception {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    tree.close();
  }

  /**
   * Each thread writes its own file and its own stripes of a shared file (disjoint offsets, heap
   * and direct buffers alternately), creating directories and listing as it goes.
   */
  @Test
  public void threadsWriteTheirOwnFilesAndDisjointStripesOfOneFile() throws Exception {
    OpenFile shared = tree.open("shared", O_CREAT | O_RDWR, 0600);
    List<Future<byte[]>> mine = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int id = t;
      mine.add(
          pool.submit(
              () -> {
                Random rnd = new Random(id);
                byte[] all = new byte[ROUNDS * STRIPE];
                rnd.nextBytes(all);
                tree.mkdir("d" + id, 0755);
                try (OpenFile own = tree.open("d" + id + "/own", O_CREAT | O_RDWR, 0600)) {
                  for (int r = 0; r < ROUNDS; r++) {
                    ByteBuffer b = buffer(all, r * STRIPE, STRIPE, r % 2 == 0);
                    own.write((long) r * STRIPE, b.duplicate());
                    shared.write(((long) r * THREADS + id) * STRIPE, b);
                    if (r % 16 == 0) {
                      assertEquals(1, tree.list("d" + id).size());
                    }
                  }
                  own.sync(true);
                }
                return all;
              }));
    }
    for (int t = 0; t < THREADS; t++) {
      byte[] all = mine.get(t).get(60, TimeUnit.SECONDS);
      assertArrayEquals(all, Files.readAllBytes(dir.resolve("d" + t + "/own")));
      ByteBuffer stripe = ByteBuffer.allocate(STRIPE);
      for (int r = 0; r < ROUNDS; r++) {
        stripe.clear();
        assertEquals(STRIPE, shared.read(((long) r * THREADS + t) * STRIPE, stripe));
        byte[] want = new byte[STRIPE];
        System.arraycopy(all, r * STRIPE, want, 0, STRIPE);
        assertArrayEquals("thread " + t + " round " + r, want, stripe.array());
      }
    }
    assertEquals((long) ROUNDS * THREADS * STRIPE, shared.stat().size());
    shared.close();
  }

  /**
   * A file closed while writers are at work: each write either lands in that file or fails with
   * EBADF, and none reaches the file opened right after, which may well get the same descriptor
   * number.
   */
  @Test
  public void closeDuringWritesNeverLetsAWriteReachAReusedDescriptor() throws Exception {
    for (int round = 0; round < 20; round++) {
      OpenFile victim = tree.open("victim" + round, O_CREAT | O_RDWR, 0600);
      CountDownLatch started = new CountDownLatch(THREADS);
      AtomicInteger refused = new AtomicInteger();
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        writers.add(
            pool.submit(
                () -> {
                  ByteBuffer b = ByteBuffer.allocateDirect(4096);
                  started.countDown();
                  for (long i = 0; ; i++) {
                    try {
                      victim.write(i % 64 * 4096, b.clear());
                    } catch (ErrnoException e) {
                      assertEquals(EBADF, e.errno());
                      refused.incrementAndGet();
                      return null;
                    }
                  }
                }));
      }
      started.await();
      victim.close();
      OpenFile next = tree.open("next" + round, O_CREAT | O_RDWR, 0600);
      for (Future<?> w : writers) {
        w.get(30, TimeUnit.SECONDS);
      }
      assertEquals(THREADS, refused.get());
      assertEquals("nothing written through a stale descriptor", 0, next.stat().size());
      next.close();
      assertTrue(Files.size(dir.resolve("victim" + round)) <= 64 * 4096);
    }
  }

  private static ByteBuffer buffer(byte[] all, int from, int len, boolean direct) {
    if (!direct) {
      return ByteBuffer.wrap(all, from, len).slice();
    }
    ByteBuffer d = ByteBuffer.allocateDirect(len);
    d.put(all, from, len).flip();
    return d;
  }
}
