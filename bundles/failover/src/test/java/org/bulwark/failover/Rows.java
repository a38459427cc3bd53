package org.bulwark.failover;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for the tables: resources written as {@code "tcp.db=down intf.0=up"}. */
final class Rows {

  private Rows() {}

  static Map<String, String> res(String spec) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : spec.trim().split("\\s+")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      out.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return out;
  }

  /** A local-only snapshot. */
  static ResourceSnapshot local(String spec) {
    return ResourceSnapshot.of(res(spec));
  }

  /** A snapshot with the peer heard from; {@code remote} null for a peer not heard from. */
  static ResourceSnapshot both(String local, String remote) {
    ResourceSnapshot s = ResourceSnapshot.of(res(local));
    return remote == null ? s : s.withRemote(res(remote));
  }
}
