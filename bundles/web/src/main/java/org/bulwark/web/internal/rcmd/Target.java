package org.bulwark.web.internal.rcmd;

import java.net.URI;
import java.util.Optional;

/**
 * One server of a distributed command (spec F.7): where its web service is, and its node name when
 * it was named through cluster.xml.
 *
 * @param base the web service, {@code http://10.0.0.2:9010}, as the output header shows it
 * @param node the node name in cluster.xml, when the server was given by name or by {@code *}
 */
record Target(URI base, Optional<String> node) {

  /** The server as the header {@code ---------------- Server=<url> ----------------} names it. */
  String label() {
    return base.toString();
  }

  /** The URI of an API path ({@code exec}, {@code cluster/config}) on this server. */
  URI api(String path) {
    return URI.create(base + "/api/v1.0/" + path);
  }

  /** The host, without IPv6 brackets. */
  String host() {
    String h = base.getHost();
    return h != null && h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
  }
}
