package org.bulwark.heartbeat.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.api.net.AddressText;
import org.bulwark.automaton.farm.Pulse;
import org.bulwark.heartbeat.FarmChannel;
import org.bulwark.heartbeat.FarmChannelService.Link;
import org.bulwark.heartbeat.FarmChannelService.Receiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound farm endpoints of one module: per lan, one datagram channel on the farm port where the
 * peers' pulses arrive, and one channel connected to each peer from which ours leave. The inbound
 * pipeline is a single handler that decodes and checks the sender; the authentication of spec G.9
 * (module keys) will slot in before it.
 *
 * <p>Why a connected socket per peer (docs/farm.md "Two detections"): the kernel reports an ICMP
 * port unreachable only on a connected UDP socket, and only for a datagram that socket sent to the
 * address and port it is connected to, so the refusal names its peer. A peer's kernel sends one
 * when no socket is bound on its farm port: its process is gone. The refusal comes back as a {@link
 * PortUnreachableException} on the next read or write of that socket; Netty keeps the channel open
 * and fires it as an exception.
 */
final class NettyFarmChannel implements FarmChannel {
  private static final Logger LOG = LoggerFactory.getLogger(NettyFarmChannel.class);

  /** One lan: the listening channel and the connected sender of each peer (absent: none). */
  private record Bound(Channel channel, Link link, Map<String, Channel> senders) {}

  private final String module;
  private final Receiver receiver;
  private final List<Bound> bound = new CopyOnWriteArrayList<>();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong unexpected = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  NettyFarmChannel(String module, Receiver receiver) {
    this.module = module;
    this.receiver = receiver;
  }

  /** The lan's listening channel; its senders follow with {@link #addSender}. */
  void add(Channel channel, Link link) {
    bound.add(new Bound(channel, link, new ConcurrentHashMap<>()));
  }

  void addSender(Link link, String peer, Channel sender) {
    for (Bound b : bound) {
      if (b.link == link) {
        b.senders.put(peer, sender);
      }
    }
  }

  SimpleChannelInboundHandler<DatagramPacket> inbound(Link link) {
    return new SimpleChannelInboundHandler<>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        Optional<Pulse> p = PulseCodec.decode(packet.content().nioBuffer());
        if (p.isEmpty() || !p.get().module().equals(module)) {
          if (malformed.incrementAndGet() == 1) {
            LOG.warn(
                "Module {}: dropped a farm packet from {}",
                module,
                AddressText.of(packet.sender()));
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
                AddressText.of(packet.sender()));
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
        // the listening socket is not connected: the kernel reports no ICMP error on it
        LOG.debug("Module {}: farm channel error on {}", module, link.lan(), cause);
      }
    };
  }

  /** The handler of the socket connected to {@code peer}: it only hears refusals. */
  ChannelInboundHandlerAdapter sender(Link link, String peer) {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // peers send from their own connected sockets, never to ours: not a pulse
        ReferenceCountUtil.release(msg);
        malformed.incrementAndGet();
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof PortUnreachableException)) {
          // host or network unreachable (no route, no ARP answer): a suspicion, not a refusal
          LOG.debug("Module {}: farm pulse to {} on {} failed", module, peer, link.lan(), cause);
          return;
        }
        if (refused.incrementAndGet() == 1) {
          LOG.info(
              "Module {}: {} refused a farm pulse on {}: no process there",
              module,
              peer,
              link.lan());
        }
        try {
          receiver.refused(link.lan(), peer);
        } catch (RuntimeException e) {
          LOG.error("Module {}: farm receiver failed", module, e);
        }
      }
    };
  }

  @Override
  public void send(Pulse pulse) {
    byte[] bytes = PulseCodec.encode(pulse);
    for (Bound b : bound) {
      if (!b.channel.isActive()) {
        continue;
      }
      boolean unconnected = false;
      for (Map.Entry<String, InetSocketAddress> peer : b.link.peers().entrySet()) {
        Channel s = b.senders.get(peer.getKey());
        if (s != null && s.isActive()) {
          // a failed write (the refusal) fires exceptionCaught through the void promise
          s.writeAndFlush(Unpooled.wrappedBuffer(bytes), s.voidPromise());
        } else {
          // no connected socket for that peer (it could not be connected): no refusal seen
          b.channel.write(new DatagramPacket(Unpooled.wrappedBuffer(bytes), peer.getValue()));
          unconnected = true;
        }
      }
      if (unconnected) {
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
  public long refused() {
    return refused.get();
  }

  @Override
  public void close() {
    for (Bound b : bound) {
      b.senders.values().forEach(s -> s.close().awaitUninterruptibly());
      b.channel.close().awaitUninterruptibly();
    }
    bound.clear();
  }
}
