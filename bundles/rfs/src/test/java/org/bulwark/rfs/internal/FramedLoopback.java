package org.bulwark.rfs.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One replication connection over loopback TCP, for tests and benchmarks of the channel alone: a
 * server on {@code addr} (an ephemeral port) and a client connected to it, each with an event loop
 * group of its own (two nodes' loops), both pipelines carrying the replication's {@link Framing}
 * and then what the caller adds.
 */
final class FramedLoopback implements AutoCloseable {
  private final NioEventLoopGroup serving;
  private final NioEventLoopGroup sending;

  /** The listening channel. */
  final Channel server;

  /** The client's end of the connection. */
  final Channel client;

  /**
   * Opens the connection.
   *
   * @param threads threads of each side's event loop group
   * @param autoRead false: the accepted connection reads nothing until told to, so that the
   *     kernel's buffers fill first
   * @param accepted adds the server side's handlers to an accepted connection, after the framing
   * @param connected adds the client's handlers, after the framing
   */
  FramedLoopback(
      String addr,
      int threads,
      boolean autoRead,
      Consumer<SocketChannel> accepted,
      Consumer<SocketChannel> connected) {
    this.serving = new NioEventLoopGroup(threads);
    this.sending = new NioEventLoopGroup(threads);
    Channel listening = null;
    try {
      listening =
          new ServerBootstrap()
              .group(serving)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.AUTO_READ, autoRead)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(framed(accepted))
              .bind(new InetSocketAddress(addr, 0))
              .syncUninterruptibly()
              .channel();
      this.client =
          new Bootstrap()
              .group(sending)
              .channel(NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(framed(connected))
              .connect(listening.localAddress())
              .syncUninterruptibly()
              .channel();
      this.server = listening;
    } catch (RuntimeException e) {
      if (listening != null) {
        listening.close().syncUninterruptibly();
      }
      shutdown();
      throw e;
    }
  }

  private static ChannelInitializer<SocketChannel> framed(Consumer<SocketChannel> handlers) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        Framing.install(ch.pipeline());
        handlers.accept(ch);
      }
    };
  }

  @Override
  public void close() {
    try {
      client.close().syncUninterruptibly();
      server.close().syncUninterruptibly();
    } finally {
      shutdown();
    }
  }

  private void shutdown() {
    sending.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    serving.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
