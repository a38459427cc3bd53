package org.bulwark.heartbeat.internal;

import io.netty.channel.Channel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.heartbeat.FarmChannel;
import org.bulwark.heartbeat.FarmChannelService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Farm membership over Netty UDP. One event loop thread serves every farm module of the node: a
 * pulse is under a kilobyte every 100 ms to each other node (32 nodes: about 300 datagrams a second
 * each way), and the receivers only enqueue.
 */
@Component(service = FarmChannelService.class)
public final class NettyFarmChannelService implements FarmChannelService {
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
    }
    return result;
  }
}
