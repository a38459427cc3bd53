package org.bulwark.heartbeat.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.automaton.farm.Pulse;
import org.bulwark.heartbeat.FarmChannel;
import org.bulwark.heartbeat.FarmChannelService.Link;
import org.bulwark.heartbeat.FarmChannelService.Receiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound farm endpoints of one module: one datagram channel per lan. The pipeline is a single
 * handler that decodes and checks the sender; the authentication of spec G.9 (module keys) will
 * slot in before it.
 */
final class NettyFarmChannel implements FarmChannel {
  private static final Logger LOG = LoggerFactory.getLogger(NettyFarmChannel.class);

  private record Bound(Channel channel, Link link) {}

  private final String module;
  private final Receiver receiver;
  private final List<Bound> bound = new CopyOnWriteArrayList<>();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong unexpected = new AtomicLong();
  private final AtomicLong received = new AtomicLong();

  NettyFarmChannel(String module, Receiver receiver) {
    this.module = module;
    this.receiver = receiver;
  }

  void add(Channel channel, Link link) {
    bound.add(new Bound(channel, link));
  }

  SimpleChannelInboundHandler<DatagramPacket> inbound(Link link) {
    return new SimpleChannelInboundHandler<>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        Optional<Pulse> p = PulseCodec.decode(packet.content().nioBuffer());
        if (p.isEmpty() || !p.get().module().equals(module)) {
          if (malformed.incrementAndGet() == 1) {
            LOG.warn("Module {}: dropped a farm packet from {}", module, packet.sender());
          }
          return;
        }
        // never trust a packet's claimed sender (DESIGN.md): it must come from that node's address
        InetSocketAddress expected = link.peers().get(p.get().node());
        if (expected == null || !expected.getAddress().equals(packet.sender().getAddress())) {
          if (unexpected.incrementAndGet() == 1) {
            LOG.warn(
                "Module {}: dropped a farm pulse claiming {} from {}",
                module,
                p.get().node(),
                packet.sender());
          }
          return;
        }
        received.incrementAndGet();
        try {
          receiver.received(link.lan(), p.get());
        } catch (RuntimeException e) {
          LOG.error("Module {}: farm receiver failed", module, e);
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. ICMP port unreachable while a peer is down: expected for UDP pulses
        LOG.debug("Module {}: farm channel error on {}", module, link.lan(), cause);
      }
    };
  }

  @Override
  public void send(Pulse pulse) {
    byte[] bytes = PulseCodec.encode(pulse);
    for (Bound b : bound) {
      if (b.channel.isActive()) {
        for (InetSocketAddress peer : b.link.peers().values()) {
          b.channel.write(new DatagramPacket(Unpooled.wrappedBuffer(bytes), peer));
        }
        b.channel.flush();
      }
    }
  }

  @Override
  public long received() {
    return received.get();
  }

  @Override
  public long malformed() {
    return malformed.get();
  }

  @Override
  public long unexpectedSender() {
    return unexpected.get();
  }

  @Override
  public void close() {
    for (Bound b : bound) {
      b.channel.close().awaitUninterruptibly();
    }
    bound.clear();
  }
}
