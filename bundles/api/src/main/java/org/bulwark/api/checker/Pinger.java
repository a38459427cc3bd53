package org.bulwark.api.checker;

import java.net.InetAddress;
import java.time.Duration;

/** ICMP echo, for the ping checker and the split-brain witness (a driver in native/). */
public interface Pinger {
  /**
   * Sends one ICMP (ICMPv6) echo request to {@code address} and waits at most {@code timeout} for
   * its reply.
   *
   * @return empty when the reply came, else why not ({@code no reply within 5000 ms}, {@code
   *     Network is unreachable})
   */
  java.util.Optional<String> echo(InetAddress address, Duration timeout);
}
