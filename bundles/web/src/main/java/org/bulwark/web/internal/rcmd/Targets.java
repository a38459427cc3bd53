package org.bulwark.web.internal.rcmd;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.Node;

/**
 * The servers of {@code safekit -H "<servers>"} (spec F.7), a pure function of the argument, the
 * applied cluster.xml and this node's web port:
 *
 * <ul>
 *   <li>{@code *}: every node of the command lan of cluster.xml, in its order;
 *   <li>{@code node1,node2}: nodes of cluster.xml by name;
 *   <li>{@code [http|https[:port]],host1,host2}: any servers, by address or DNS name;
 *   <li>{@code http://h1:9010,https://h2:9453}: URLs.
 * </ul>
 *
 * Without a port, {@code http} is this node's web port (nodes of a cluster share it, spec F.7: "the
 * local web-service settings") and {@code https} 9453. A server given twice is reached once.
 */
final class Targets {
  /** SafeKit's HTTPS port (spec G.1). */
  static final int HTTPS_PORT = 9453;

  private static final Pattern PROTOCOL = Pattern.compile("\\[(https?)(?::(\\d{1,5}))?\\]");

  private Targets() {}

  /**
   * @throws IllegalArgumentException naming the entry that is wrong and why
   */
  static List<Target> parse(String servers, Optional<ClusterConfig> cluster, int webPort) {
    String spec = servers == null ? "" : servers.trim();
    if (spec.isEmpty()) {
      throw new IllegalArgumentException(
          "-H needs the servers: \"*\", node names \"node1,node2\", \"[http:9010],host1,host2\" or"
              + " URLs \"http://host1:9010,http://host2:9010\"");
    }
    List<String> entries = new ArrayList<>();
    for (String entry : spec.split(",", -1)) {
      if (entry.isBlank()) {
        throw new IllegalArgumentException("-H \"" + servers + "\": an empty server in the list");
      }
      entries.add(entry.trim());
    }
    Map<String, Target> targets = new LinkedHashMap<>();
    Matcher protocol = PROTOCOL.matcher(entries.get(0));
    if (protocol.matches()) {
      String scheme = protocol.group(1);
      int port = protocol.group(2) == null ? defaultPort(scheme, webPort) : port(protocol.group(2));
      if (entries.size() == 1) {
        throw new IllegalArgumentException(
            "-H \"" + servers + "\": no server after " + entries.get(0));
      }
      for (String host : entries.subList(1, entries.size())) {
        add(targets, new Target(uri(scheme, host, port, servers), Optional.empty()));
      }
      return List.copyOf(targets.values());
    }
    for (String entry : entries) {
      if (PROTOCOL.matcher(entry).matches()) {
        throw new IllegalArgumentException(
            "-H \""
                + servers
                + "\": '"
                + entry
                + "' must come first and be [http], [https], [http:PORT] or [https:PORT]");
      }
      if (entry.equals("*")) {
        for (Node node : commandLan(cluster, entry).nodes()) {
          add(targets, named(node, webPort, servers));
        }
      } else if (entry.contains("://")) {
        add(targets, url(entry, webPort, servers));
      } else {
        Lan lan = commandLan(cluster, entry);
        Node node =
            lan.node(entry)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "-H: no node '"
                                + entry
                                + "' in cluster.xml (nodes: "
                                + String.join(", ", cluster.get().nodeNames())
                                + "); give other servers as \"[http],"
                                + entry
                                + "\" or as URLs"));
        add(targets, named(node, webPort, servers));
      }
    }
    return List.copyOf(targets.values());
  }

  private static void add(Map<String, Target> targets, Target target) {
    targets.putIfAbsent(target.label(), target);
  }

  private static Lan commandLan(Optional<ClusterConfig> cluster, String entry) {
    return cluster
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "-H \""
                        + entry
                        + "\": no cluster configuration is applied on this node"
                        + " (safekit cluster config <file>); give servers as"
                        + " \"[http],host1,host2\" or as URLs"))
        .commandLan();
  }

  private static Target named(Node node, int webPort, String servers) {
    return new Target(
        uri("http", Node.host(node.addr()), webPort, servers), Optional.of(node.name()));
  }

  private static Target url(String entry, int webPort, String servers) {
    URI u;
    try {
      u = new URI(entry);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("-H: '" + entry + "' is not a URL: " + e.getReason());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("-H: '" + entry + "' is not an http:// or https:// URL");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("-H: '" + entry + "' names no host");
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    if (!(path.isEmpty() || path.equals("/"))
        || u.getRawQuery() != null
        || u.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "-H: '" + entry + "': give the server only, as http://host:port");
    }
    int port = u.getPort() < 0 ? defaultPort(scheme, webPort) : u.getPort();
    return new Target(uri(scheme, u.getHost(), port, entry), Optional.empty());
  }

  private static int defaultPort(String scheme, int webPort) {
    return scheme.equals("https") ? HTTPS_PORT : webPort;
  }

  private static int port(String digits) {
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("-H: port " + digits + " is not between 1 and 65535");
    }
    return port;
  }

  private static URI uri(String scheme, String host, int port, String servers) {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    if (!h.matches("\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "-H \"" + servers + "\": '" + host + "' is not a host name or an IP address");
    }
    return URI.create(scheme + "://" + h + ":" + port);
  }
}
