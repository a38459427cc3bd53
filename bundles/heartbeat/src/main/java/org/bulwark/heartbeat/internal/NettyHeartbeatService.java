package org.bulwark.heartbeat.internal;

import io.netty.channel.Channel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.heartbeat.HeartbeatChannel;
import org.bulwark.heartbeat.HeartbeatService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Heartbeats over Netty UDP. One event loop thread serves every module of the node: a heartbeat is
 * a few dozen bytes every pulse, and the receivers only enqueue (spec B.4: 700 ms default pulse).
 */
@Component(service = HeartbeatService.class)
public final class NettyHeartbeatService implements HeartbeatService {
  private final UdpLoop loop;

  @Activate
  public NettyHeartbeatService() {
    this.loop = new UdpLoop("bulwark-heartbeat");
  }

  @Deactivate
  public void deactivate() {
    loop.shutdown();
  }

  @Override
  public HeartbeatChannel open(String module, List<Link> links, Receiver receiver)
      throws IOException {
    NettyHeartbeatChannel result = new NettyHeartbeatChannel(module, receiver);
    List<Channel> bound = new ArrayList<>();
    for (Link link : links) {
      Channel c =
          loop.bind(
              link.local(),
              result.inbound(link.ident()),
              bound,
              "heartbeat of module " + module,
              "heartbeat " + link.ident());
      result.add(c, link);
    }
    return result;
  }
}
