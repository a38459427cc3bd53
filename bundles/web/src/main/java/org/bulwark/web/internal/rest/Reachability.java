package org.bulwark.web.internal.rest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Whether this node reaches the addresses typed in the cluster configuration wizard: a TCP
 * connection to each address's web port (the nodes of a cluster share it, spec G.1), all at once,
 * each bounded by a timeout. Only the addresses given are tried, once.
 */
final class Reachability {
  /** The most addresses one request may ask about. */
  static final int MAX_ADDRESSES = 64;

  /** An IPv4 or IPv6 literal or a host name: nothing else is tried. */
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");

  private Reachability() {}

  /**
   * One address's answer.
   *
   * @param address the address as given
   * @param port the port tried
   * @param reachable whether a TCP connection was made
   * @param millis how long the connection took, or the time given up after
   * @param detail why it was not reachable, or null
   */
  public record AddressCheck(
      String address, int port, boolean reachable, long millis, String detail) {}

  /** A 400 naming the first address that cannot be one; the addresses otherwise. */
  static List<String> validate(List<String> addresses) {
    if (addresses.isEmpty()) {
      throw ApiException.badRequest("'addresses' is missing or empty");
    }
    if (addresses.size() > MAX_ADDRESSES) {
      throw ApiException.badRequest(
          "at most " + MAX_ADDRESSES + " addresses at once, not " + addresses.size());
    }
    for (int i = 0; i < addresses.size(); i++) {
      String a = addresses.get(i);
      if (!ADDRESS.matcher(a).matches()) {
        throw ApiException.badRequest(
            "addresses[" + i + "]: '" + a + "' is not an IP address or a host name");
      }
    }
    return addresses;
  }

  /** Tries every address at once; each answer comes within {@code timeout}. */
  static List<AddressCheck> check(List<String> addresses, int port, Duration timeout) {
    // one thread per address: the common pool has one thread on a two-core node
    ExecutorService threads = Executors.newFixedThreadPool(addresses.size());
    try {
      List<CompletableFuture<AddressCheck>> tries =
          addresses.stream()
              .map(a -> CompletableFuture.supplyAsync(() -> connect(a, port, timeout), threads))
              .toList();
      return tries.stream().map(CompletableFuture::join).toList();
    } finally {
      threads.shutdown();
    }
  }

  static AddressCheck connect(String address, int port, Duration timeout) {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
      return new AddressCheck(address, port, true, elapsed(start), null);
    } catch (java.net.SocketTimeoutException e) {
      return new AddressCheck(
          address, port, false, elapsed(start), "no answer within " + timeout.toMillis() + " ms");
    } catch (java.net.UnknownHostException e) {
      return new AddressCheck(address, port, false, elapsed(start), "unknown host");
    } catch (IOException | IllegalArgumentException e) {
      return new AddressCheck(address, port, false, elapsed(start), e.getMessage());
    }
  }

  private static long elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }
}
