package org.bulwark.net.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bulwark.api.net.NetException;

/**
 * Sockets of the tests, opened in a lab namespace (a socket stays in the namespace it was made in).
 */
final class LabNet {
  static final int CONNECT_TIMEOUT_MS = 5000;

  private LabNet() {}

  /** Runs {@code task} on the namespace's thread. */
  static <T> T in(Netns ns, Callable<T> task) throws IOException {
    try {
      return ns.call(
          () -> {
            try {
              return task.call();
            } catch (IOException e) {
              throw new NetException(e.toString(), e);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    } catch (NetException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  /** A TCP connection from namespace {@code ns}, bound to {@code from} when given. */
  static SocketChannel connect(Netns ns, InetSocketAddress to, InetAddress from)
      throws IOException {
    return connect(ns, to, from, CONNECT_TIMEOUT_MS);
  }

  static SocketChannel connect(Netns ns, InetSocketAddress to, InetAddress from, int timeoutMs)
      throws IOException {
    SocketChannel ch = in(ns, SocketChannel::open);
    try {
      if (from != null) {
        ch.bind(new InetSocketAddress(from, 0));
      }
      ch.socket().connect(to, timeoutMs);
      return ch;
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  static SocketChannel connect(Netns ns, InetSocketAddress to) throws IOException {
    return connect(ns, to, null);
  }

  /** An ARP capture on {@code device} of namespace {@code ns}. */
  static ArpSocket openArp(Netns ns, String device, int index) throws IOException {
    return ns.call(() -> ArpSocket.open(device, index));
  }

  /** Waits for a gratuitous ARP for {@code vip}. */
  static ArpSocket.Arp awaitGratuitous(ArpSocket capture, InetAddress vip, Duration limit)
      throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      Optional<ArpSocket.Arp> a = capture.receive(Duration.ofNanos(left));
      if (a.isPresent() && a.get().gratuitous() && a.get().senderIp().equals(vip)) {
        return a.get();
      }
    }
    throw new AssertionError("no gratuitous ARP for " + vip.getHostAddress() + " within " + limit);
  }
}
