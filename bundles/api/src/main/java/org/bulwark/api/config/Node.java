package org.bulwark.api.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One node on one lan (spec A.2 {@code <node>}).
 *
 * @param name logical node name, the same on every lan
 * @param addr address as the other nodes see it: IPv4, IPv6 in brackets, or a DNS name
 * @param laddr local address under NAT, when different from {@code addr}
 */
public record Node(String name, String addr, Optional<String> laddr) {

  public Node {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(addr, "addr");
    Objects.requireNonNull(laddr, "laddr");
  }

  /** The address to bind locally: {@code laddr} when given, else {@code addr}. */
  public String localAddr() {
    return laddr.orElse(addr);
  }

  /** The address without the brackets of an IPv6 literal, as a socket API wants it. */
  public static String host(String address) {
    return address.startsWith("[") && address.endsWith("]")
        ? address.substring(1, address.length() - 1)
        : address;
  }
}
