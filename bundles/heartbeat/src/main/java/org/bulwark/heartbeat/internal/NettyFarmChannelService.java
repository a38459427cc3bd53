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
  private final EventLoopGroup group;

  @Activate
  public NettyFarmChannelService() {
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("bulwark-farm", true));
  }

  @Deactivate
  public void deactivate() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  @Override
  public FarmChannel open(String module, List<Link> links, Receiver receiver) throws IOException {
    NettyFarmChannel result = new NettyFarmChannel(module, receiver);
    List<Channel> bound = new ArrayList<>();
    for (Link link : links) {
      ChannelFuture f =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .option(ChannelOption.SO_REUSEADDR, true)
              .handler(result.inbound(link))
              .bind(link.local())
              .awaitUninterruptibly();
      if (!f.isSuccess()) {
        bound.forEach(c -> c.close().awaitUninterruptibly());
        throw new IOException(
            "farm of module "
                + module
                + ": cannot bind "
                + link.local()
                + " for lan "
                + link.lan()
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
