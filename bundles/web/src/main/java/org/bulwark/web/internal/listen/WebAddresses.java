package org.bulwark.web.internal.listen;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.Node;

/**
 * Which addresses the web service listens on (spec G.1: SafeKit's web service answers on the node's
 * interfaces). A pure function of the setting {@code bulwark.web.addr} ({@code BULWARK_WEB_ADDR}),
 * the node's bind address, its host name and the applied cluster.xml:
 *
 * <ul>
 *   <li>{@code cluster} (the default): this node's addresses on every lan of cluster.xml that are
 *       addresses of this machine (a NAT address without {@code laddr}, or a name that resolves
 *       elsewhere, cannot be listened on), the bind address, and 127.0.0.1 for the local tools when
 *       the bind address is not a loopback one;
 *   <li>{@code all}: every address of the machine ({@code 0.0.0.0});
 *   <li>a comma-separated list of IP addresses, used as given.
 * </ul>
 */
public final class WebAddresses {
  public static final String CLUSTER = "cluster";
  public static final String ALL = "all";
  static final String ANY = "0.0.0.0";
  static final String LOOPBACK = "127.0.0.1";

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private WebAddresses() {}

  /**
   * The addresses to listen on, in a stable order without duplicates.
   *
   * @throws IllegalArgumentException when the setting is neither a mode nor a list of IP addresses;
   *     the message names the setting and the bad entry
   */
  public static List<String> select(
      String setting, String bindAddress, String hostName, Optional<ClusterConfig> cluster) {
    return select(setting, bindAddress, hostName, cluster, address -> true);
  }

  /**
   * As {@link #select(String, String, String, Optional)}, keeping of the cluster.xml addresses only
   * those {@code local} accepts.
   */
  public static List<String> select(
      String setting,
      String bindAddress,
      String hostName,
      Optional<ClusterConfig> cluster,
      Predicate<String> local) {
    String mode = setting == null || setting.isBlank() ? CLUSTER : setting.trim();
    if (mode.equals(ALL)) {
      return List.of(ANY);
    }
    if (!mode.equals(CLUSTER)) {
      return explicit(mode);
    }
    Set<String> addresses = new LinkedHashSet<>();
    addresses.add(bindAddress);
    localNode(bindAddress, hostName, cluster)
        .ifPresent(
            name -> {
              for (Lan lan : cluster.get().lans()) {
                lan.node(name)
                    .map(node -> Node.host(node.localAddr()))
                    .filter(local)
                    .ifPresent(addresses::add);
              }
            });
    if (!bindAddress.startsWith("127.")) {
      addresses.add(LOOPBACK);
    }
    return List.copyOf(addresses);
  }

  /** Checks a setting without applying it; the message says what is wrong. */
  public static void validate(String setting) {
    select(setting, LOOPBACK, "", Optional.empty());
  }

  private static List<String> explicit(String list) {
    List<String> addresses = new ArrayList<>();
    for (String entry : list.split(",", -1)) {
      String address = Node.host(entry.trim());
      if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
        throw new IllegalArgumentException(
            "bulwark.web.addr (BULWARK_WEB_ADDR): '"
                + entry.trim()
                + "' is not an IP address; expected 'cluster', 'all' or a comma-separated list of"
                + " IP addresses");
      }
      if (!addresses.contains(address)) {
        addresses.add(address);
      }
    }
    return List.copyOf(addresses);
  }

  /**
   * This node's name in cluster.xml: the node whose address on some lan is the bind address, else
   * the node named like the host (as the module runtime finds it).
   */
  public static Optional<String> localNode(
      String bindAddress, String hostName, Optional<ClusterConfig> cluster) {
    if (cluster.isEmpty()) {
      return Optional.empty();
    }
    for (Lan lan : cluster.get().lans()) {
      for (Node node : lan.nodes()) {
        if (Node.host(node.addr()).equals(bindAddress)
            || Node.host(node.localAddr()).equals(bindAddress)) {
          return Optional.of(node.name());
        }
      }
    }
    return cluster.get().nodeNames().stream().filter(n -> n.equals(hostName)).findFirst();
  }
}
