package org.bulwark.rfs.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bulwark.api.fs.FileOperation;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * An internal failure of the primary's replication engine (spec C.7, docs/replication.md
 * "Replication fails on the primary"), put in by a test hook ({@link EngineFault}) into a real pair
 * with a real mount, on 127.0.3.30–31: the application's call completes as a pass-through, never
 * hangs, the primary is degraded ({@code rfs.degraded} up, every secondary refused), and after a
 * stop and start the secondary is reintegrated in full — a change made meanwhile that only a full
 * copy finds (same size, same time) reaches it.
 */
public class EngineFailureTest {
  private static final long LIMIT = 60_000;
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.30", "127.0.3.31", 19330);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);
  private final ExecutorService app = Executors.newSingleThreadExecutor();

  @After
  public void stopApp() {
    app.shutdownNow();
  }

  @Test
  public void aFailureBeforeAWrite_theWritePassesThroughAndThePrimaryIsDegraded() throws Exception {
    // asked once: from the failure on, the interceptor passes calls through without asking
    Path same =
        runningWithFault(
            EngineFault.Point.BEFORE,
            FileOperation.Write.class,
            () -> new IllegalStateException("injected bug"));
    Path dir = pair.a.get(0);
    byte[] data = "the application goes on".getBytes(StandardCharsets.US_ASCII);
    call(() -> Files.write(dir.resolve("through"), data));
    assertArrayEquals(data, Files.readAllBytes(dir.resolve("through")));
    assertDegraded(
        "internal error of the replication engine in Write: "
            + "java.lang.IllegalStateException: injected bug");
    // the file's lock taken before the failure was released: the same file, and names, go on
    call(() -> Files.write(dir.resolve("through"), data, StandardOpenOption.APPEND));
    call(() -> Files.move(dir.resolve("through"), dir.resolve("moved")));
    assertRestartReintegratesInFull(same);
  }

  @Test
  public void anErrorAfterAChangeOfNames_noCallHangs() throws Exception {
    Path same =
        runningWithFault(
            EngineFault.Point.AFTER,
            FileOperation.Mkdir.class,
            () -> new StackOverflowError("injected"));
    Path dir = pair.a.get(0);
    call(() -> Files.createDirectory(dir.resolve("made")));
    assertTrue(Files.isDirectory(dir.resolve("made")));
    assertDegraded(
        "internal error of the replication engine in Mkdir: "
            + "java.lang.StackOverflowError: injected");
    // the namespace lock held when it failed was released, and the hook is no longer asked
    call(() -> Files.createDirectory(dir.resolve("made/again")));
    call(() -> Files.writeString(dir.resolve("made/again/f"), "x"));
    assertRestartReintegratesInFull(same);
  }

  @Test
  public void aFailureOnTheSessionsEventLoop_theWriteInFlightReturns() throws Exception {
    Path same =
        runningWithFault(
            EngineFault.Point.ACK,
            null,
            () -> new IllegalStateException("injected bug in the session"));
    Path dir = pair.a.get(0);
    byte[] data = "waits for an acknowledgement".getBytes(StandardCharsets.US_ASCII);
    call(() -> Files.write(dir.resolve("in-flight"), data));
    assertArrayEquals(data, Files.readAllBytes(dir.resolve("in-flight")));
    assertDegraded(
        "internal error of the replication engine in the replication session: "
            + "java.lang.IllegalStateException: injected bug in the session");
    assertRestartReintegratesInFull(same);
  }

  @Test
  public void failuresOfTheLinkAreNotTheEngines() {
    assertFalse(PrimaryHandler.internal(new java.net.SocketException("Connection reset")));
    assertFalse(PrimaryHandler.internal(new io.netty.channel.ChannelException("closed")));
    assertTrue(PrimaryHandler.internal(new NullPointerException()));
    assertTrue(PrimaryHandler.internal(new OutOfMemoryError("Direct buffer memory")));
  }

  /** The application's call, which must return within the limit (a hang fails the test). */
  private <T> T call(Callable<T> c) throws Exception {
    Future<T> f = app.submit(c);
    return f.get(LIMIT, TimeUnit.MILLISECONDS);
  }

  private void assertDegraded(String reason) throws Exception {
    pair.one.await(e -> e.equals("resource rfs.degraded=up"), LIMIT);
    pair.one.await(e -> e.equals("degraded replication failed on the primary: " + reason), LIMIT);
    pair.one.await(
        e ->
            e.equals(
                "log E nfsadmin Replication failed on the primary: "
                    + reason
                    + " (replication stays off until the module is stopped and started)"),
        LIMIT);
    assertTrue(pair.node1.primaryReplica().failure().passingThrough());
  }

  /** A change only a full reintegration finds (same size, same time), then the recovery. */
  private void assertRestartReintegratesInFull(Path same) throws Exception {
    call(
        () -> {
          Files.writeString(same, "BBBB");
          return Files.setLastModifiedTime(same, Pair.OLD);
        });
    pair.assertRefusedThenRecoveredInFull();
    assertEquals("BBBB", Files.readString(pair.b.get(0).resolve(same.getFileName())));
  }

  /**
   * The pair started, {@link Pair#quietFile} made, then a fault thrown at {@code point} for
   * operations of {@code kind} (any when null); returns the quiet file.
   */
  private Path runningWithFault(
      EngineFault.Point point, Class<? extends FileOperation> kind, Supplier<Throwable> fault)
      throws Exception {
    pair.open();
    pair.start();
    Path quiet = pair.quietFile();
    inject(point, kind, fault);
    return quiet;
  }

  /** A fault thrown at {@code point} for operations of {@code kind} (any when null). */
  private void inject(
      EngineFault.Point point, Class<? extends FileOperation> kind, Supplier<Throwable> fault) {
    pair.node1
        .primaryReplica()
        .failure()
        .injectFault(
            (at, op) -> {
              if (at == point && (kind == null || kind.isInstance(op))) {
                Throwable t = fault.get();
                if (t instanceof Error e) {
                  throw e;
                }
                throw (RuntimeException) t;
              }
            });
  }
}
