package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * {@link DirectWriter} over real loopback TCP: messages written from the callers' threads arrive
 * whole and in each caller's order, also when the receiver stops reading, so that the kernel's
 * buffer fills, part of a message and what follows it go through Netty, and the receiver reads
 * everything later.
 */
public class DirectWriterTest {
  private static final String ADDR = Pair.loopback(0, "127.1.7.74");
  private static final int DATA = 64 << 10;

  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<Channel> receiver = new AtomicReference<>();
  private FramedLoopback connection;
  private Channel client;

  @Before
  public void connect() {
    connection =
        new FramedLoopback(
            ADDR,
            1,
            false, // the kernel's buffers fill first
            ch -> {
              ch.pipeline().addLast(new Collect());
              receiver.set(ch);
            },
            ch -> {});
    client = connection.client;
    await(() -> receiver.get() != null, "the receiver's connection");
  }

  @After
  public void close() {
    connection.close();
  }

  /** Records each message as "writer/number", a write's data checked byte by byte. */
  private final class Collect extends SimpleChannelInboundHandler<Msg> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Msg m) {
      if (m instanceof Msg.Op op && op.change() instanceof Change.Write w) {
        try {
          ByteBuf d = w.data();
          byte expected = (byte) op.seq();
          boolean intact = d.readableBytes() == DATA;
          for (int i = d.readerIndex(); intact && i < d.writerIndex(); i++) {
            intact = d.getByte(i) == expected;
          }
          received.add(w.path() + "/" + op.seq() + (intact ? "" : " torn"));
        } finally {
          Change.release(op.change());
        }
      } else if (m instanceof Msg.Ping p) {
        received.add("ping/" + p.nanos());
      }
    }
  }

  @Test
  public void aFullBufferKeepsTheOrderThroughNetty() {
    DirectWriter writer = DirectWriter.of(client);
    List<String> sent = new ArrayList<>();
    for (int i = 1; i <= 400; i++) {
      if (i % 3 == 0) {
        writer.send(new Msg.Ping(i, false));
        sent.add("ping/" + i);
      } else {
        writer.send(new Msg.Op(i, write("w", i)));
        sent.add("w/" + i);
      }
    }
    // 17 MiB written, nothing read: most of it waits in Netty, whose pending bytes tell senders
    // to wait (PrimarySession's backpressure)
    await(() -> !client.isWritable(), "Netty holding what the kernel did not take");
    receiver.get().config().setAutoRead(true);
    await(() -> received.size() == sent.size(), "every message received");
    assertEquals(sent, received);
  }

  @Test
  public void writesQueuedForABusyEventLoopCountAgainstTheWaterMarks() throws Exception {
    // a reintegration's streams queue changes from their own threads; while the connection's
    // event loop is busy they wait in its task queue, and the senders' backpressure must see them
    // (counted 8 bytes each, they filled the primary's direct memory)
    DirectWriter writer = DirectWriter.of(client);
    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    client
        .eventLoop()
        .execute(
            () -> {
              held.countDown();
              try {
                busy.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    held.await();
    List<String> sent = new ArrayList<>();
    try {
      for (int i = 1; i <= 4; i++) {
        writer.queue(new Msg.Op(i, write("q", i)));
        sent.add("q/" + i);
      }
      // 256 KiB waiting, nothing encoded yet: above the default high water mark (64 KiB)
      assertTrue("still writable with 4 writes of 64 KiB queued", !client.isWritable());
    } finally {
      busy.countDown();
    }
    writer.flush();
    receiver.get().config().setAutoRead(true);
    await(() -> received.size() == sent.size(), "every message received");
    assertEquals(sent, received);
    await(client::isWritable, "writable again once sent");
  }

  @Test
  public void aMessageNettyCannotWriteClosesTheConnection() {
    // its fields may be in the stream already: what follows would be read as part of it
    DirectWriter writer = DirectWriter.of(client);
    Change.Write broken = write("b", 1);
    broken.data().release(); // Netty fails to write it, as a buffer it cannot allocate
    writer.queue(new Msg.Op(1, broken));
    writer.flush();
    assertTrue(
        "the connection closed", client.closeFuture().awaitUninterruptibly(30, TimeUnit.SECONDS));
  }

  @Test
  public void concurrentWritersEachKeepTheirOrder() throws Exception {
    DirectWriter writer = DirectWriter.of(client);
    receiver.get().config().setAutoRead(true);
    int writers = 4;
    int each = 150;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      String name = "t" + t;
      threads.add(
          new Thread(
              () -> {
                for (int i = 1; i <= each; i++) {
                  writer.send(new Msg.Op(i, write(name, i)));
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(60_000);
    }
    await(() -> received.size() == writers * each, "every message received");
    for (int t = 0; t < writers; t++) {
      String prefix = "t" + t + "/";
      List<String> mine = received.stream().filter(s -> s.startsWith(prefix)).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= each; i++) {
        expected.add(prefix + i);
      }
      assertEquals("writer " + t, expected, mine);
    }
  }

  private static Change.Write write(String path, int seq) {
    byte[] data = new byte[DATA];
    Arrays.fill(data, (byte) seq);
    return new Change.Write(0, path, 0, data, 0);
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue("not within 30 s: " + what, System.nanoTime() < deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // polls the condition
    }
  }
}
