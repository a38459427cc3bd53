package org.bulwark.rfs.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The network's part, without disks or FUSE, for {@link ReplicaBench}:
 *
 * <ul>
 *   <li>{@code tcp ADDR MIB}: loopback TCP bandwidth, one connection, 1 MiB writes, what a pipe
 *       through {@code nc} would show (prints {@code TCP MiB/s});
 *   <li>{@code rtt ADDR N BYTES}: the round trip of one change of BYTES and its acknowledgement, N
 *       times in turn: over plain blocking sockets (the floor: two wake-ups and the loopback), then
 *       through the replication's own path — a {@link PrimarySession} sending a {@link
 *       Change.Write} from a caller's thread, framed and encoded, decoded by a second event loop
 *       group that acknowledges on receipt ({@code async="second"}), the acknowledgement completing
 *       the caller's future. Prints {@code RTT kind p50 p90 p99} (µs).
 * </ul>
 */
final class ReplicaBenchNet {
  private ReplicaBenchNet() {}

  static void main(String[] args) throws Exception {
    String addr = args[1];
    if (args[0].equals("tcp")) {
      tcp(addr, Long.parseLong(args[2]));
    } else {
      int n = Integer.parseInt(args[2]);
      int bytes = Integer.parseInt(args[3]);
      plain(addr, n, bytes);
      netty(addr, n, bytes);
    }
  }

  private static void tcp(String addr, long mib) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(addr, 0));
      CompletableFuture<Double> seconds = new CompletableFuture<>();
      Thread receiver =
          new Thread(
              () -> {
                try (java.nio.channels.SocketChannel in = server.accept()) {
                  ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
                  long left = mib << 20;
                  long t0 = 0;
                  while (left > 0) {
                    b.clear();
                    int n = in.read(b);
                    if (n < 0) {
                      throw new IOException("closed early");
                    }
                    if (t0 == 0) {
                      t0 = System.nanoTime();
                    }
                    left -= n;
                  }
                  seconds.complete((System.nanoTime() - t0) / 1e9);
                } catch (IOException e) {
                  seconds.completeExceptionally(e);
                }
              });
      receiver.start();
      try (java.nio.channels.SocketChannel out =
          java.nio.channels.SocketChannel.open(server.getLocalAddress())) {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        new java.util.Random(5).ints(b.capacity() / 4).forEach(b::putInt);
        for (long i = 0; i < mib; i++) {
          b.clear();
          while (b.hasRemaining()) {
            out.write(b);
          }
        }
        ReplicaBench.say(String.format("TCP %.0f", mib / seconds.get(10, TimeUnit.MINUTES)));
      }
    }
  }

  private static void report(String kind, long[] nanos) {
    Arrays.sort(nanos);
    ReplicaBench.say(
        String.format(
            "RTT %s %.1f %.1f %.1f",
            kind,
            nanos[nanos.length / 2] / 1e3,
            nanos[(int) (nanos.length * 0.9)] / 1e3,
            nanos[(int) (nanos.length * 0.99)] / 1e3));
  }

  private static void plain(String addr, int n, int bytes) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(addr, 0));
      Thread echo =
          new Thread(
              () -> {
                try (java.nio.channels.SocketChannel in = server.accept()) {
                  in.setOption(StandardSocketOptions.TCP_NODELAY, true);
                  ByteBuffer b = ByteBuffer.allocateDirect(bytes);
                  ByteBuffer ack = ByteBuffer.allocateDirect(12);
                  for (int i = 0; i < n; i++) {
                    b.clear();
                    while (b.hasRemaining()) {
                      if (in.read(b) < 0) {
                        return;
                      }
                    }
                    ack.clear();
                    in.write(ack);
                  }
                } catch (IOException e) {
                  e.printStackTrace();
                }
              });
      echo.start();
      try (java.nio.channels.SocketChannel out =
          java.nio.channels.SocketChannel.open(server.getLocalAddress())) {
        out.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ByteBuffer b = ByteBuffer.allocateDirect(bytes);
        ByteBuffer ack = ByteBuffer.allocateDirect(12);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          b.clear();
          while (b.hasRemaining()) {
            out.write(b);
          }
          ack.clear();
          while (ack.hasRemaining()) {
            out.read(ack);
          }
          t[i] = System.nanoTime() - t0;
        }
        report("socket", Arrays.copyOfRange(t, n / 10, n)); // the first tenth warms up
      }
      echo.join();
    }
  }

  private static void netty(String addr, int n, int bytes) throws Exception {
    PrimarySession[] session = new PrimarySession[1];
    try (FramedLoopback connection =
        new FramedLoopback(
            addr,
            2,
            true,
            ch ->
                ch.pipeline()
                    .addLast(
                        new SimpleChannelInboundHandler<Msg>() {
                          @Override
                          protected void channelRead0(ChannelHandlerContext ctx, Msg m) {
                            Msg.Op op = (Msg.Op) m;
                            Change.release(op.change()); // received: nothing to apply
                            ctx.writeAndFlush(new Msg.Ack(op.seq(), 0));
                          }
                        }),
            ch ->
                ch.pipeline()
                    .addLast(
                        new SimpleChannelInboundHandler<Msg>() {
                          @Override
                          protected void channelRead0(ChannelHandlerContext ctx, Msg m) {
                            session[0].acknowledged((Msg.Ack) m);
                          }
                        }))) {
      session[0] = new PrimarySession(connection.client, 1, 30_000);
      byte[] data = new byte[bytes];
      long[] t = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        byte[] copy = data.clone(); // as ChangeOf copies the request's data
        session[0].send(new Change.Write(0, "/bench/file", 4096L * i, copy, 0)).get();
        t[i] = System.nanoTime() - t0;
      }
      report("replication-channel", Arrays.copyOfRange(t, n / 10, n));
    }
  }
}
