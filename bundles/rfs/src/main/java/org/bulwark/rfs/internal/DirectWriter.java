package org.bulwark.rfs.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every message a replication connection sends, written from the caller's thread straight into the
 * socket: a change goes to the kernel from the FUSE thread that made it, and an acknowledgement
 * from the secondary's applier, without waking the connection's event loop to do it (a hand-off,
 * hence a context switch, on each side of every round trip: benchmarks.md, "Replication").
 *
 * <p>The socket stays non-blocking and registered with Netty, which keeps reading it. A write that
 * the kernel does not take whole (its buffer full) hands its rest to Netty, as does every write
 * while an earlier one waits there: the bytes keep their order, and Netty's pending count keeps
 * telling senders to wait ({@link PrimarySession}'s backpressure). Messages queued without a flush
 * (a reintegration's stream) go through Netty too. One writer per connection ({@link #of}): all of
 * the connection's messages must go through it.
 */
final class DirectWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DirectWriter.class);
  private static final AttributeKey<DirectWriter> KEY = AttributeKey.valueOf("bulwark.rfs.writer");

  private final Channel channel;
  private final SocketChannel socket;
  private final Object lock = new Object();

  // guarded by lock: messages handed to Netty and not written yet
  private int inNetty;

  private DirectWriter(Channel channel) {
    this.channel = channel;
    this.socket =
        channel.unsafe() instanceof AbstractNioChannel.NioUnsafe nio
                && nio.ch() instanceof SocketChannel s
            ? s
            : null; // another transport (tests): everything through Netty
  }

  /** The connection's writer. */
  static DirectWriter of(Channel channel) {
    DirectWriter w = channel.attr(KEY).get();
    if (w == null) {
      DirectWriter created = new DirectWriter(channel);
      w = channel.attr(KEY).setIfAbsent(created);
      if (w == null) {
        w = created;
      }
    }
    return w;
  }

  /** Sends a message now; the future completes once the kernel holds it (or it failed). */
  ChannelFuture send(Msg msg) {
    return write(List.of(msg), true);
  }

  /** Sends messages now, in one system call when they fit. */
  ChannelFuture send(List<? extends Msg> msgs) {
    return write(msgs, true);
  }

  /** Queues a message for a later {@link #flush} or send (no system call now). */
  void queue(Msg msg) {
    write(List.of(msg), false);
  }

  /** Sends what was queued. */
  void flush() {
    channel.flush();
  }

  /*
   * Nothing that may call back into the handlers runs under the lock but Netty's own write and
   * flush, and the handlers' reactions to those (writability: PrimaryHandler) are deferred: a
   * sender holds its session's send lock while it waits for this one.
   */
  private ChannelFuture write(List<? extends Msg> msgs, boolean flush) {
    if (msgs.isEmpty()) {
      return channel.newSucceededFuture();
    }
    ChannelFuture done;
    synchronized (lock) {
      if (!flush || inNetty > 0 || socket == null || !channel.isActive()) {
        return viaNetty(msgs, flush);
      }
      List<ByteBuf> parts = new ArrayList<>(msgs.size() * 2);
      RuntimeException failure = null;
      try {
        for (int i = 0; i < msgs.size(); i++) {
          Msg m = msgs.get(i);
          ByteBuf data = Framing.dataOf(m);
          ByteBuf head;
          try {
            head = Framing.head(channel.alloc(), m, data); // releases data if it fails
          } catch (RuntimeException e) {
            for (Msg never : msgs.subList(i + 1, msgs.size())) {
              release(never);
            }
            throw e;
          }
          parts.add(head);
          if (data != null) {
            parts.add(data);
          }
        }
      } catch (RuntimeException e) {
        parts.forEach(ByteBuf::release); // direct() releases them otherwise, whatever happens
        failure = e;
      }
      done = failure != null ? channel.newFailedFuture(failure) : direct(parts);
    }
    if (!done.isSuccess() && done.isDone()) {
      if (done.cause() instanceof IOException) {
        channel.close(); // the handlers end the session, as for a failed write through Netty
      } else {
        channel.pipeline().fireExceptionCaught(done.cause());
      }
    }
    return done;
  }

  /** Under the lock: as much as the kernel takes now, the rest to Netty. Releases the parts. */
  private ChannelFuture direct(List<ByteBuf> parts) {
    try {
      List<ByteBuffer> views = new ArrayList<>(parts.size());
      long total = 0;
      for (ByteBuf b : parts) {
        total += b.readableBytes();
        for (ByteBuffer v : b.nioBuffers()) {
          views.add(v);
        }
      }
      ByteBuffer[] array = views.toArray(new ByteBuffer[0]);
      long written = 0;
      long n;
      do {
        n = socket.write(array);
        written += n;
      } while (n > 0 && written < total);
      Traffic.sent(channel, written); // what Netty writes, its pipeline counts
      if (written == total) {
        return channel.newSucceededFuture();
      }
      for (ByteBuf b : parts) {
        int skip = (int) Math.min(written, b.readableBytes());
        b.skipBytes(skip);
        written -= skip;
      }
      ByteBuf rest = Unpooled.wrappedBuffer(parts.toArray(new ByteBuf[0]));
      parts.clear(); // the rest owns them now
      return counted(rest, true);
    } catch (IOException | RuntimeException e) {
      return channel.newFailedFuture(e); // the caller closes the connection, out of the lock
    } finally {
      parts.forEach(ByteBuf::release);
    }
  }

  private ChannelFuture viaNetty(List<? extends Msg> msgs, boolean flush) {
    ChannelFuture last = null;
    for (Msg m : msgs) {
      last = counted(m, false);
    }
    if (flush) {
      channel.flush();
    }
    return last;
  }

  /** Under the lock: a message given to Netty, counted until written or failed. */
  private ChannelFuture counted(Object msg, boolean flush) {
    inNetty++;
    ChannelPromise p = channel.newPromise();
    p.addListener(
        done -> {
          synchronized (lock) {
            inNetty--;
          }
          if (!done.isSuccess() && channel.isOpen()) {
            // Netty failed it (a buffer it could not allocate …) and goes on with the next: a
            // message not written whole would make what follows it read as part of it
            LOG.warn(
                "Replication message not sent, connection {} closed: {}",
                channel,
                String.valueOf(done.cause()));
            channel.close();
          }
        });
    return flush ? channel.writeAndFlush(msg, p) : channel.write(msg, p);
  }

  private static void release(Msg m) {
    if (m instanceof Msg.Op op) {
      Change.release(op.change());
    }
  }
}
