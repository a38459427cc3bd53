package org.bulwark.heartbeat.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.heartbeat.FarmChannel;
import org.bulwark.heartbeat.FarmChannelService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Farm membership over Netty UDP. One event loop thread serves every farm module of the node: a
 * pulse is under a kilobyte every 100 ms to each other node (32 nodes: about 300 datagrams a second
 * each way), and the receivers only enqueue. Per lan, a listening socket on the farm port and one
 * socket connected to each peer (32 nodes: 31 per lan) that sends to it and hears its kernel's
 * refusal ({@link NettyFarmChannel}). That one thread also makes the arrival times of pulses and
 * refusals, read by the receivers, follow the order in which they came off the wire.
 */
@Component(service = FarmChannelService.class)
public final class NettyFarmChannelService implements FarmChannelService {
  private static final Logger LOG = LoggerFactory.getLogger(NettyFarmChannelService.class);
  private final UdpLoop loop;

  @Activate
  public NettyFarmChannelService() {
    this.loop = new UdpLoop("bulwark-farm");
  }

  @Deactivate
  public void deactivate() {
    loop.shutdown();
  }

  @Override
  public FarmChannel open(String module, List<Link> links, Receiver receiver) throws IOException {
    NettyFarmChannel result = new NettyFarmChannel(module, receiver);
    List<Channel> bound = new ArrayList<>();
    for (Link link : links) {
      Channel c =
          loop.bind(
              link.local(),
              result.inbound(link),
              bound,
              "farm of module " + module,
              "lan " + link.lan());
      result.add(c, link);
      for (Map.Entry<String, InetSocketAddress> peer : link.peers().entrySet()) {
        connect(module, result, link, peer.getKey(), peer.getValue()).ifPresent(bound::add);
      }
    }
    return result;
  }

  /**
   * The socket connected to one peer, bound to this node's address on the lan (an ephemeral port):
   * our pulses to it leave from there and its kernel's refusal comes back there. When it cannot be
   * connected (no route to the peer yet) the peer's pulses leave from the lan's listening socket,
   * as before, and only its silence tells that it is gone.
   */
  private Optional<Channel> connect(
      String module, NettyFarmChannel result, Link link, String peer, InetSocketAddress address) {
    ChannelFuture f =
        loop.connect(
            address,
            new InetSocketAddress(link.local().getAddress(), 0),
            result.sender(link, peer));
    if (!f.isSuccess()) {
      LOG.warn(
          "Module {}: no socket connected to farm node {} at {} on {}: {}",
          module,
          peer,
          address,
          link.lan(),
          f.cause().getMessage());
      f.channel().close();
      return Optional.empty();
    }
    result.addSender(link, peer, f.channel());
    return Optional.of(f.channel());
  }
}
