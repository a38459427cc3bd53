package org.bulwark.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Local clients that connect and send nothing, send half a request, claim gigabytes, or pile up
 * long waits: none of them may keep the node from answering a real command (issue 13, item 3). Over
 * the real socket; the bounds on waiting are generous, these are not timing benchmarks.
 */
public class MisbehavingClientsTest {
  private static final Duration ANSWER = Duration.ofSeconds(5);

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final CountDownLatch release = new CountDownLatch(1);
  private final Semaphore holding = new Semaphore(0);
  private final List<SocketChannel> clients = new ArrayList<>();
  private Path socket;
  private CliServer server;

  private void start(CliServer.Limits limits) throws IOException {
    socket = tmp.getRoot().toPath().resolve("var/run/safeadmin.sock");
    server = new CliServer(socket, new MemoryCommandLog(), limits);
    server.addVerb(
        verb(
            "echo",
            (request, out) -> {
              out.out().println(String.join(" ", request.args()));
              return CliExit.OK;
            }));
    // stands for waitstate: runs until the test lets it go
    server.addVerb(
        verb(
            "hold",
            (request, out) -> {
              holding.release();
              return release.await(30, TimeUnit.SECONDS) ? CliExit.OK : CliExit.FAILED;
            }));
  }

  @After
  public void stop() throws IOException {
    release.countDown();
    for (SocketChannel client : clients) {
      client.close();
    }
    if (server != null) {
      server.deactivate();
    }
  }

  @Test
  public void aCommandIsAnsweredWhileHundredsOfClientsSendNothing() throws Exception {
    start(CliServer.Limits.DEFAULT);
    for (int i = 0; i < 300; i++) {
      clients.add(TestClient.connect(socket));
    }
    Frames.Reply reply = TestClient.call(socket, ANSWER, "echo", "hello");
    assertEquals("hello\n", reply.out());
    assertEquals(CliExit.OK, reply.exitCode());
  }

  @Test
  public void shortCommandsAreAnsweredWhileDozensOfWaitsRun() throws Exception {
    start(CliServer.Limits.DEFAULT);
    for (int i = 0; i < 40; i++) {
      SocketChannel client = TestClient.connect(socket);
      clients.add(client);
      TestClient.send(client, TestClient.request(List.of("hold"), List.of()));
    }
    assertTrue("40 waits running at once", holding.tryAcquire(40, 5, TimeUnit.SECONDS));
    assertEquals("short\n", TestClient.call(socket, ANSWER, "echo", "short").out());
    release.countDown();
    for (SocketChannel client : clients) {
      assertEquals(CliExit.OK, TestClient.reply(client, ANSWER).exitCode());
    }
  }

  @Test
  public void aCommandOverTheRunningLimitIsAnsweredBusyAndClosed() throws Exception {
    start(new CliServer.Limits(Duration.ofSeconds(10), 64, 1));
    SocketChannel hold = TestClient.connect(socket);
    clients.add(hold);
    TestClient.send(hold, TestClient.request(List.of("hold"), List.of()));
    assertTrue("the wait runs", holding.tryAcquire(5, TimeUnit.SECONDS));
    try (SocketChannel refused = TestClient.connect(socket)) {
      TestClient.send(refused, TestClient.request(List.of("echo", "x"), List.of()));
      Frames.Reply reply = TestClient.parse(TestClient.untilClosed(refused, ANSWER));
      assertEquals(
          "Error: safeadmin is busy: 1 commands already running; try again\n", reply.err());
      assertEquals(CliExit.FAILED, reply.exitCode());
    }
    release.countDown();
    assertEquals(CliExit.OK, TestClient.reply(hold, ANSWER).exitCode());
  }

  @Test
  public void aRequestClaimingGigabytesIsRefusedWithoutBeingHeld() throws Exception {
    start(CliServer.Limits.DEFAULT);
    Map<Long, Long> before = serverAllocations();
    AtomicBoolean stop = new AtomicBoolean();
    try (SocketChannel client = TestClient.connect(socket)) {
      client.configureBlocking(false);
      // 4096 strings of 1 MiB declared, and really sent, up to 64 MiB
      Thread writer = new Thread(() -> stream(client, 4096, 1 << 20, 64, stop), "test-writer");
      writer.start();
      try {
        Frames.Reply reply = TestClient.reply(client, ANSWER);
        long atLeast = 12 + (1 << 20) + 4 * 4095 + 4;
        assertEquals(
            "Error: request too large (at least " + atLeast + " bytes, at most 262144)\n",
            reply.err());
        assertEquals(CliExit.USAGE, reply.exitCode());
      } finally {
        stop.set(true);
        writer.join(ANSWER.toMillis());
      }
      assertFalse("the writer ended", writer.isAlive());
    }
    long allocated = allocatedSince(before);
    assertTrue(
        "the server threads allocated " + allocated + " bytes",
        allocated < 4L * Frames.MAX_REQUEST);
  }

  @Test
  public void aHalfSentRequestIsDroppedAtTheReadDeadline() throws Exception {
    start(new CliServer.Limits(Duration.ofMillis(300), 64, 128));
    byte[] whole = TestClient.request(List.of("echo", "0123456789"), List.of());
    long begun = System.nanoTime();
    try (SocketChannel client = TestClient.connect(socket)) {
      TestClient.send(client, Arrays.copyOf(whole, whole.length - 5));
      Frames.Reply reply = TestClient.parse(TestClient.untilClosed(client, ANSWER));
      assertEquals("Error: the request was not received within 300 ms\n", reply.err());
      assertEquals(CliExit.FAILED, reply.exitCode());
    }
    assertTrue("not before the deadline", System.nanoTime() - begun >= 300_000_000L);
    assertEquals("on time\n", TestClient.call(socket, ANSWER, "echo", "on", "time").out());
  }

  @Test
  public void theOldestWaitingConnectionIsClosedToMakeRoom() throws Exception {
    start(new CliServer.Limits(Duration.ofSeconds(10), 4, 128));
    SocketChannel oldest = TestClient.connect(socket);
    clients.add(oldest);
    for (int i = 0; i < 4; i++) {
      clients.add(TestClient.connect(socket));
    }
    Frames.Reply reply = TestClient.parse(TestClient.untilClosed(oldest, ANSWER));
    assertEquals(
        "Error: safeadmin is busy: too many connections waiting; try again\n", reply.err());
    assertEquals(CliExit.FAILED, reply.exitCode());
    assertEquals("through\n", TestClient.call(socket, ANSWER, "echo", "through").out());
  }

  /**
   * Writes a request header declaring {@code count} strings, then up to {@code strings} of them.
   */
  private static void stream(
      SocketChannel client, int count, int length, int strings, AtomicBoolean stop) {
    try (Selector selector = Selector.open()) {
      client.register(selector, SelectionKey.OP_WRITE);
      ByteBuffer header = ByteBuffer.allocate(8).put(Frames.MAGIC).putInt(count);
      write(client, selector, header.flip(), stop);
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      for (int i = 0; i < strings && !stop.get(); i++) {
        write(client, selector, ByteBuffer.allocate(4).putInt(length).flip(), stop);
        for (int sent = 0; sent < length && !stop.get(); sent += chunk.capacity()) {
          write(client, selector, chunk.clear(), stop);
        }
      }
    } catch (IOException closedByTheServer) {
      // what the server may do once it has answered
    }
  }

  private static void write(
      SocketChannel client, Selector selector, ByteBuffer buffer, AtomicBoolean stop)
      throws IOException {
    while (buffer.hasRemaining() && !stop.get()) {
      if (client.write(buffer) == 0) {
        selector.select(100); // until writable; the stop flag is looked at every 100 ms
        selector.selectedKeys().clear();
      }
    }
  }

  /** Bytes allocated so far by each thread of the server, by thread id. */
  private static Map<Long, Long> serverAllocations() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<Long, Long> allocated = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("safekit-cli")) {
        allocated.put(t.getId(), threads.getThreadAllocatedBytes(t.getId()));
      }
    }
    return allocated;
  }

  private static long allocatedSince(Map<Long, Long> before) {
    long sum = 0;
    for (Map.Entry<Long, Long> now : serverAllocations().entrySet()) {
      sum += now.getValue() - before.getOrDefault(now.getKey(), 0L);
    }
    return sum;
  }

  private interface Body {
    int run(CliRequest request, CliOutput out) throws Exception;
  }

  private static CliVerb verb(String name, Body body) {
    return new CliVerb() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String summary() {
        return name;
      }

      @Override
      public String usage() {
        return "Usage: safekit " + name;
      }

      @Override
      public boolean journaled(CliRequest request) {
        return false;
      }

      @Override
      public int run(CliRequest request, CliOutput out) throws Exception {
        return body.run(request, out);
      }
    };
  }
}
