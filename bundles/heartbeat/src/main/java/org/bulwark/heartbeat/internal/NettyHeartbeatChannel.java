package org.bulwark.heartbeat.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.api.net.AddressText;
import org.bulwark.automaton.HeartbeatMessage;
import org.bulwark.heartbeat.HeartbeatChannel;
import org.bulwark.heartbeat.HeartbeatService.Link;
import org.bulwark.heartbeat.HeartbeatService.Receiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bound endpoints of one module: one datagram channel per lan. */
final class NettyHeartbeatChannel implements HeartbeatChannel {
  private static final Logger LOG = LoggerFactory.getLogger(NettyHeartbeatChannel.class);

  private record Bound(Channel channel, Link link) {}

  private final String module;
  private final Receiver receiver;
  private final List<Bound> bound = new CopyOnWriteArrayList<>();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong received = new AtomicLong();

  NettyHeartbeatChannel(String module, Receiver receiver) {
    this.module = module;
    this.receiver = receiver;
  }

  void add(Channel channel, Link link) {
    bound.add(new Bound(channel, link));
  }

  SimpleChannelInboundHandler<DatagramPacket> inbound(String ident) {
    return new SimpleChannelInboundHandler<>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        Optional<HeartbeatMessage> m = HeartbeatCodec.decode(packet.content().nioBuffer());
        if (m.isEmpty() || !m.get().module().equals(module)) {
          long n = malformed.incrementAndGet();
          // the first one says something is misconfigured; the rest only count
          if (n == 1) {
            LOG.warn(
                "Module {}: dropped a heartbeat packet from {}",
                module,
                AddressText.of(packet.sender()));
          }
          return;
        }
        received.incrementAndGet();
        try {
          receiver.received(ident, m.get());
        } catch (RuntimeException e) {
          LOG.error("Module {}: heartbeat receiver failed", module, e);
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. ICMP port unreachable while the peer is down: not an error for UDP heartbeats
        LOG.debug("Module {}: heartbeat channel error on {}", module, ident, cause);
      }
    };
  }

  @Override
  public void send(HeartbeatMessage message) {
    byte[] bytes = HeartbeatCodec.encode(message);
    for (Bound b : bound) {
      if (b.channel.isActive()) {
        b.channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), b.link.peer()));
      }
    }
  }

  @Override
  public long malformed() {
    return malformed.get();
  }

  @Override
  public long received() {
    return received.get();
  }

  @Override
  public void close() {
    for (Bound b : bound) {
      b.channel.close().awaitUninterruptibly();
    }
    bound.clear();
  }
}
