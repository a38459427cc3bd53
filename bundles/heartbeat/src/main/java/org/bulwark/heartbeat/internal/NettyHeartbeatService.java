package org.bulwark.heartbeat.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
  private final EventLoopGroup group;

  @Activate
  public NettyHeartbeatService() {
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("bulwark-heartbeat", true));
  }

  @Deactivate
  public void deactivate() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  @Override
  public HeartbeatChannel open(String module, List<Link> links, Receiver receiver)
      throws IOException {
    NettyHeartbeatChannel result = new NettyHeartbeatChannel(module, receiver);
    List<Channel> bound = new ArrayList<>();
    for (Link link : links) {
      ChannelFuture f =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .option(ChannelOption.SO_REUSEADDR, true)
              .handler(result.inbound(link.ident()))
              .bind(link.local())
              .awaitUninterruptibly();
      if (!f.isSuccess()) {
        bound.forEach(c -> c.close().awaitUninterruptibly());
        throw new IOException(
            "heartbeat of module "
                + module
                + ": cannot bind "
                + link.local()
                + " for heartbeat "
                + link.ident()
                + ": "
                + f.cause().getMessage(),
            f.cause());
      }
      bound.add(f.channel());
      result.add(f.channel(), link);
    }
    return result;
  }
}
