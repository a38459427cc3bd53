package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.fs.Errno;
import org.bulwark.api.fs.FileInterceptor;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.FileOperationException;
import org.bulwark.api.fs.FileSystemDriver;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;
import org.bulwark.api.rfs.ReplicationSetup;
import org.bulwark.fuse.internal.ConfinedTrees;
import org.bulwark.fuse.internal.FuseFileSystemDriver;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code checktime}/{@code checkintv} (spec B.7): the primary's null request to its replicated file
 * system, through the real FUSE mount. A mount whose only request thread is held by a blocked write
 * cannot answer: the module is asked for a {@code stopstart} within checktime + checkintv; a
 * healthy mount answers every probe and never is.
 */
public class MountProbeTest {
  private static final Duration CHECKTIME = Duration.ofMillis(600);
  private static final Duration CHECKINTV = Duration.ofMillis(200);

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final FuseFileSystemDriver fuse = new FuseFileSystemDriver();
  private final EventLoopGroup loop = new NioEventLoopGroup(1);
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);
  private final ExecutorService application = Executors.newSingleThreadExecutor();
  private final Recorder events = new Recorder("node1");
  private final CountDownLatch blocked = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private Path dir;
  private ModuleRfs primary;

  /**
   * The real driver, its mounts served by one thread, and a write of a file named {@code hang} held
   * in the interception until the test releases it: that thread is then busy, so the mount answers
   * nothing else.
   */
  private final FileSystemDriver hangable =
      new FileSystemDriver() {
        @Override
        public Mount mount(Path directory, MountOptions options) throws IOException {
          FileInterceptor replication = options.interceptor();
          FileInterceptor holding =
              new FileInterceptor() {
                @Override
                public void before(FileOperation op) throws FileOperationException {
                  if (op instanceof FileOperation.Write w && w.path().equals("/hang")) {
                    blocked.countDown();
                    try {
                      release.await();
                    } catch (InterruptedException e) {
                      throw new FileOperationException(Errno.EIO, "interrupted");
                    }
                  }
                  replication.before(op);
                }

                @Override
                public void after(FileOperation op, int errno) throws FileOperationException {
                  replication.after(op, errno);
                }
              };
          return fuse.mount(directory, options.withThreads(1).withInterceptor(holding));
        }

        @Override
        public int cleanStaleMounts(Path directory) throws IOException {
          return fuse.cleanStaleMounts(directory);
        }

        @Override
        public boolean isMounted(Path directory) throws IOException {
          return fuse.isMounted(directory);
        }

        @Override
        public java.util.List<org.bulwark.api.fs.FileHolder> holders(Path directory)
            throws IOException {
          return fuse.holders(directory);
        }
      };

  @Before
  public void startPrimary() throws Exception {
    dir = Files.createDirectories(tmp.getRoot().toPath().resolve("a/d0"));
    Rfs rfs =
        TestRfs.withChecks(
            TestRfs.of(List.of("/srv/app/d0"), Rfs.Async.SECOND), CHECKTIME, CHECKINTV);
    int port = 28900 + (int) (ProcessHandle.current().pid() % 500);
    ReplicationSetup setup =
        new ReplicationSetup(
            "mirror",
            "node1",
            rfs,
            new InetSocketAddress(Pair.loopback(0, "127.0.0.51"), port),
            new InetSocketAddress(Pair.loopback(1, "127.0.0.52"), port),
            tmp.getRoot().toPath().resolve("node1-state"));
    primary =
        new ModuleRfs(
            setup, events, hangable, new ConfinedTrees(), loop, workers, timers, List.of(dir));
    primary.startPrimary(false);
  }

  @After
  public void stop() throws Exception {
    release.countDown();
    try {
      primary.stopPrimary(Duration.ofSeconds(2));
    } finally {
      application.shutdownNow();
      timers.shutdownNow();
      workers.shutdownNow();
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  public void aHungMountIsRestartedWithinChecktimePlusCheckintv() throws Exception {
    application.submit(
        () -> {
          try (RandomAccessFile f = new RandomAccessFile(dir.resolve("hang").toFile(), "rw")) {
            f.write(new byte[] {1, 2, 3});
          }
          return null;
        });
    assertTrue("the write reached the interception", blocked.await(10, TimeUnit.SECONDS));
    long hung = System.nanoTime();

    String stopstart = events.await(e -> e.startsWith("stopstart "), 20_000);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hung);

    long bound = CHECKTIME.plus(CHECKINTV).toMillis();
    assertTrue(
        "stopstart requested after " + millis + " ms, bound " + bound + " ms (and scheduling)",
        millis <= bound + 1_000);
    assertEquals(
        "stopstart replicated directory "
            + dir
            + " did not answer a null request within 600 ms (checktime)",
        stopstart);
    assertTrue(
        events.events().toString(),
        events
            .events()
            .contains(
                "log E nfsadmin Replicated directory "
                    + dir
                    + " did not answer a null request within 600 ms (checktime): module"
                    + " restarted (stopstart)"));
    // once per role: the module restarts, which stops this probe
    release.countDown();
    assertEquals(1, events.events().stream().filter(e -> e.startsWith("stopstart ")).count());
  }

  @Test
  public void aHealthyMountIsNeverRestarted() throws Exception {
    MountProbe probe = primary.probe();
    // the application writes meanwhile: its requests are answered, and so is every probe
    for (int i = 0; i < 50; i++) {
      Files.writeString(dir.resolve("f" + i % 4), "data " + i);
    }
    assertTrue("8 probes answered within 20 s", probe.awaitAnswered(8, Duration.ofSeconds(20)));
    assertTrue(events.events().toString(), events.events().stream().noneMatch(this::restart));
  }

  private boolean restart(String event) {
    return event.startsWith("stopstart ") || event.contains("null request");
  }
}
