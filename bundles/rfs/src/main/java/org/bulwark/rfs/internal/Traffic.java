package org.bulwark.rfs.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replication's traffic as resources (spec B.20), averaged over {@link #EVERY_MILLIS}, in KB/s:
 * {@code rfs.rep_bandwidth}, the live changes this node sent as primary or received as secondary (a
 * write's data, {@link #FIELDS} bytes for each change's fields; the reintegration's copies are
 * {@code rfs.rei_bandwidth}'s); {@code rfs.netout_bandwidth} and {@code rfs.netin_bandwidth}, every
 * byte of the replication connection out of and into this node. One per module, whatever the role;
 * all zero while no role runs.
 */
final class Traffic {
  static final long EVERY_MILLIS = 3_000;

  /** What a change's fields weigh in {@code rfs.rep_bandwidth} (a path and a few numbers). */
  static final long FIELDS = 64;

  private static final AttributeKey<Traffic> KEY = AttributeKey.valueOf("bulwark.rfs.traffic");
  static final String REP = "rfs.rep_bandwidth";
  static final String OUT = "rfs.netout_bandwidth";
  static final String IN = "rfs.netin_bandwidth";

  private final Resources resources;
  private final AtomicLong live = new AtomicLong();
  private final AtomicLong out = new AtomicLong();
  private final AtomicLong in = new AtomicLong();

  // guarded by this
  private long lastNanos = -1;
  private long lastLive;
  private long lastOut;
  private long lastIn;
  private ScheduledFuture<?> sampler;

  Traffic(Resources resources) {
    this.resources = resources;
  }

  /** What a change weighs in {@code rfs.rep_bandwidth}: its data and its fields. */
  static long weight(Change c) {
    return FIELDS + (c instanceof Change.Write w ? w.length() : 0);
  }

  /** A live change sent (primary) or received (secondary). */
  void live(Change c) {
    live.addAndGet(weight(c));
  }

  void sent(long bytes) {
    out.addAndGet(bytes);
  }

  void received(long bytes) {
    in.addAndGet(bytes);
  }

  /** Bytes written straight into the socket of {@code channel} (DirectWriter), if it is counted. */
  static void sent(Channel channel, long bytes) {
    Traffic t = channel.attr(KEY).get();
    if (t != null) {
      t.sent(bytes);
    }
  }

  /**
   * Counts every byte of the connection: first in the pipeline (the bytes as they leave and
   * arrive), and for DirectWriter's writes that bypass it.
   */
  void install(ChannelPipeline p) {
    p.channel().attr(KEY).set(this);
    p.addFirst("traffic", new Counter());
  }

  /** A role starts: the averages are published every {@link #EVERY_MILLIS}. */
  synchronized void start(ScheduledExecutorService timers) {
    stop();
    lastNanos = System.nanoTime();
    lastLive = live.get();
    lastOut = out.get();
    lastIn = in.get();
    sampler =
        timers.scheduleWithFixedDelay(
            () -> sample(System.nanoTime()), EVERY_MILLIS, EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The role ended: no traffic. */
  synchronized void stop() {
    if (sampler != null) {
      sampler.cancel(false);
      sampler = null;
    }
    lastNanos = -1;
    for (String r : new String[] {REP, OUT, IN}) {
      resources.measured(r, "0");
    }
  }

  /** Publishes the averages since the previous sample, at {@code nanos}. */
  synchronized void sample(long nanos) {
    if (lastNanos < 0) {
      lastNanos = nanos;
      return;
    }
    long elapsed = Math.max(1, nanos - lastNanos);
    long l = live.get();
    long o = out.get();
    long i = in.get();
    resources.measured(REP, Long.toString(kbPerSecond(l - lastLive, elapsed)));
    resources.measured(OUT, Long.toString(kbPerSecond(o - lastOut, elapsed)));
    resources.measured(IN, Long.toString(kbPerSecond(i - lastIn, elapsed)));
    lastNanos = nanos;
    lastLive = l;
    lastOut = o;
    lastIn = i;
  }

  static long kbPerSecond(long bytes, long nanos) {
    return (long) (bytes / 1024.0 * 1e9 / nanos);
  }

  private static long size(Object msg) {
    if (msg instanceof ByteBuf b) {
      return b.readableBytes();
    }
    return msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
  }

  @ChannelHandler.Sharable
  private final class Counter extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      received(size(msg));
      super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
        throws Exception {
      sent(size(msg));
      super.write(ctx, msg, promise);
    }
  }
}
