package org.bulwark.heartbeat.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The UDP side of a heartbeat or farm service: one event loop thread, a daemon named after the
 * service, serving every module of the node, and the datagram sockets of a module bound on it all
 * or none.
 */
final class UdpLoop {
  private final EventLoopGroup group;

  UdpLoop(String threadName) {
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory(threadName, true));
  }

  /**
   * Binds a datagram socket at {@code local} whose datagrams go to {@code handler}, and adds it to
   * {@code bound}. When it cannot be bound, closes every socket of {@code bound} (the module's
   * others) and says why: {@code <owner>: cannot bind <local> for <purpose>: <cause>}.
   */
  Channel bind(
      SocketAddress local,
      ChannelHandler handler,
      List<Channel> bound,
      String owner,
      String purpose)
      throws IOException {
    ChannelFuture f =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .handler(handler)
            .bind(local)
            .awaitUninterruptibly();
    if (!f.isSuccess()) {
      bound.forEach(c -> c.close().awaitUninterruptibly());
      throw new IOException(
          owner + ": cannot bind " + local + " for " + purpose + ": " + f.cause().getMessage(),
          f.cause());
    }
    bound.add(f.channel());
    return f.channel();
  }

  /**
   * A datagram socket bound at {@code local} and connected to {@code remote}, whose datagrams and
   * errors (a refusal by the remote's kernel) go to {@code handler}; the future is done.
   */
  ChannelFuture connect(SocketAddress remote, SocketAddress local, ChannelHandler handler) {
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(handler)
        .connect(remote, local)
        .awaitUninterruptibly();
  }

  void shutdown() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
