package org.bulwark.net.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.net.FilterGroup;

/**
 * Reads the buckets back from {@code nft list table}: what the kernel really holds, for {@code
 * vip_if_ctrl -l}. Each rule that {@link NftScript} wrote ends with {@code drop comment "group G"};
 * its set of accepted buckets follows {@code !=}, or is empty when the rule drops all.
 */
final class NftListing {
  private static final Pattern RULE =
      Pattern.compile(
          "(?:jhash .*? seed 0x[0-9a-f]+ != (\\{[^}]*\\}|[0-9-]+) )?drop comment \""
              + NftScript.GROUP_COMMENT
              + "([^\"]+)\"");

  private static final Pattern FORWARD =
      Pattern.compile(
          "seed 0x[0-9a-f]+ (\\{[^}]*\\}|[0-9-]+) fwd ip6? to \\S+ device \"[^\"]*\" comment \""
              + NftScript.GROUP_COMMENT
              + "([^\"]+)"
              + NftScript.FORWARD_COMMENT
              + "([^\"]+)\"");

  private NftListing() {}

  /**
   * Per group, the buckets forwarded to each node (the first rule's forwards; a node reached over
   * both families appears once per address).
   */
  static Map<String, List<FilterGroup.Forward>> forwards(String listing) {
    Map<String, Map<String, BucketSet>> byGroup = new LinkedHashMap<>();
    Matcher m = FORWARD.matcher(listing);
    while (m.find()) {
      byGroup
          .computeIfAbsent(m.group(2), g -> new LinkedHashMap<>())
          .putIfAbsent(m.group(3), parse(m.group(1)));
    }
    Map<String, List<FilterGroup.Forward>> out = new LinkedHashMap<>();
    byGroup.forEach(
        (group, nodes) -> {
          List<FilterGroup.Forward> list = new ArrayList<>();
          nodes.forEach((node, set) -> list.add(new FilterGroup.Forward(address(node), set)));
          out.put(group, list);
        });
    return out;
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal); // an address literal nft printed: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalStateException("nft printed an invalid address " + literal, e);
    }
  }

  /** Per group, in order of appearance, the buckets of its first rule. */
  static Map<String, BucketSet> groups(String listing) {
    Map<String, BucketSet> out = new LinkedHashMap<>();
    // a set that nft wraps over several lines is still one match: [^}] crosses line ends
    Matcher m = RULE.matcher(listing);
    while (m.find()) {
      out.putIfAbsent(m.group(2), m.group(1) == null ? BucketSet.EMPTY : parse(m.group(1)));
    }
    return out;
  }

  /** {@code { 0-63, 128, 130-131 }} or {@code 0-255}. */
  static BucketSet parse(String set) {
    List<Integer> buckets = new ArrayList<>();
    for (String part : set.replace("{", "").replace("}", "").split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int dash = p.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
      for (int b = from; b <= to; b++) {
        buckets.add(b);
      }
    }
    return BucketSet.of(buckets.stream().mapToInt(Integer::intValue).toArray());
  }
}
